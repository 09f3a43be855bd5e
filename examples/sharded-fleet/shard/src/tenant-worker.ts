// One codebase for every tenant of every shard: what differs per tenant arrives as bindings.
interface Env {
  TENANT: string;
  PLAN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return Response.json({ tenant: env.TENANT, plan: env.PLAN, path: new URL(request.url).pathname });
  },
};
