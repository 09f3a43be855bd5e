import { greet } from "./greet";
import plans from "./plans.json";

export default {
  async fetch(request: Request): Promise<Response> {
    const plan = plans[0];
    return new Response(`${greet(new URL(request.url).hostname)} (plan ${plan.name})`);
  },
};
