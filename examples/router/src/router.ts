// src/router.ts, as in Alchemy's "Bind to Dispatch Namespace" example
interface DispatchNamespace {
  get(name: string): { fetch(request: Request): Promise<Response> };
}

export default {
  async fetch(request: Request, env: { TENANTS: DispatchNamespace }) {
    // Extract tenant ID from the request
    const url = new URL(request.url);
    const tenantId = url.hostname.split(".")[0];

    // Get the tenant's worker from the dispatch namespace
    const tenantWorker = env.TENANTS.get(tenantId);

    // Forward the request to the tenant's worker
    return await tenantWorker.fetch(request);
  },
};
