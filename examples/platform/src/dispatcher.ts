// The platform's front door: `/<tenant>/<rest>` runs tenant `<tenant>` on `/<rest>`.
import type { DispatcherEnv } from "../index";

export default {
  async fetch(request: Request, env: DispatcherEnv): Promise<Response> {
    const url = new URL(request.url);
    const [, tenant, ...rest] = url.pathname.split("/");
    if (!tenant) return new Response("platform: name a tenant, e.g. /counter/visits\n", { status: 404 });
    url.pathname = `/${rest.join("/")}`;
    try {
      return await env.TENANTS.get(tenant).fetch(new Request(url, request));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("Worker not found")) return new Response(`no tenant '${tenant}'\n`, { status: 404 });
      throw error;
    }
  },
};
