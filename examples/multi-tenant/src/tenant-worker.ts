// One codebase for every tenant: what differs per tenant arrives as the CONFIG binding.
interface Env {
  CONFIG: { customerId: string; features: string[] };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    return Response.json({
      customer: env.CONFIG.customerId,
      features: env.CONFIG.features,
      path: url.pathname,
      message: `Hello from ${env.CONFIG.customerId}!`,
    });
  },
};
