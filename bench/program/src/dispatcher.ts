// The dispatcher: `<tenant>.<platform host>` → that tenant's Worker in the namespace.
interface Env {
  TENANTS: { get(name: string): { fetch(request: Request): Promise<Response> } };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const tenant = new URL(request.url).hostname.split(".")[0];
    try {
      return await env.TENANTS.get(tenant).fetch(request);
    } catch {
      return new Response(`no tenant ${tenant}`, { status: 404 });
    }
  },
};
