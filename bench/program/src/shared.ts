// The platform module every tenant imports. `npm run bench` rewrites SHARED_VERSION to change the
// code of all tenants at once; keep the constant on one line.
export const SHARED_VERSION = 1;

export interface Tenant {
  id: string;
  plan: string;
}

const routes: Record<string, (tenant: Tenant, url: URL) => Response> = {
  "/": (tenant) => new Response(`hello from ${tenant.id} (${tenant.plan})`),
  "/health": () => Response.json({ ok: true, version: SHARED_VERSION }),
  "/whoami": (tenant, url) => Response.json({ tenant: tenant.id, plan: tenant.plan, host: url.host }),
};

export async function handle(request: Request, tenant: Tenant): Promise<Response> {
  const url = new URL(request.url);
  const route = routes[url.pathname];
  const response = route ? route(tenant, url) : new Response("not found", { status: 404 });
  response.headers.set("x-platform-version", String(SHARED_VERSION));
  return response;
}
