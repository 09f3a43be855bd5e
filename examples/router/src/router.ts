// src/router.ts: the router worker, bound to the dispatch namespace as TENANTS
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
