// The platform's front door: `<tenant>.platform.example.com` is served by the tenant's worker.
// `env` is typed from the bindings the program gives this Worker (a type-only import: not bundled).
import type { RouterEnv as Env } from "../index";

interface TenantRecord {
  plan?: string;
  disabled?: boolean;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const tenantId = new URL(request.url).hostname.split(".")[0];
    // Optional per-tenant metadata, kept by the platform in KV under `tenant:<id>`.
    const record = await env.TENANT_DATA.get<TenantRecord>(`tenant:${tenantId}`, "json");
    if (record?.disabled) return new Response(`tenant '${tenantId}' is disabled\n`, { status: 403 });
    try {
      const response = await env.TENANT_NAMESPACE.get(`${tenantId}-worker`).fetch(request);
      const headers = new Headers(response.headers);
      headers.set("x-tenant", tenantId);
      if (record?.plan) headers.set("x-tenant-plan", record.plan);
      return new Response(response.body, { status: response.status, headers });
    } catch (error) {
      if (String(error).includes("Worker not found")) return new Response(`no tenant named '${tenantId}'\n`, { status: 404 });
      throw error;
    }
  },
};
