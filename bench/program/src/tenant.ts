// Every tenant's code: the shared platform module does the work, the TENANT binding says who it is.
import { handle } from "./shared";

interface Env {
  TENANT: { id: string; plan: string };
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return handle(request, env.TENANT);
  },
};
