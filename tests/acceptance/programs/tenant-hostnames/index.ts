// A TenantFleet of `count` tenants, tenant t-NNN reached on its customer's domain shop.customer-NNN.com: a custom
// hostname of the zone `zoneId` whose metadata names the tenant, read by a dispatcher on the zone's "*" + "/*" route.
// Config `moved` ({ "<hostname>": "<tenant>" }) gives a domain to another tenant; `removed` (a list) drops tenants.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, FallbackOrigin, TenantFleet, WorkerScript } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const zoneId = config.require("zoneId");
const count = config.requireNumber("count");
const moved = config.getObject<Record<string, string>>("moved") ?? {};
const removed = new Set(config.getObject<string[]>("removed") ?? []);

const namespace = new DispatchNamespace("customers", { namespace: "hostname-tenants" });
const fallback = new FallbackOrigin("fallback", { zoneId, origin: "fallback.example.com" });

new WorkerScript("dispatcher", {
  scriptName: "hostname-dispatcher",
  compatibilityDate: "2025-01-01",
  bindings: { CUSTOMERS: namespace },
  routes: [{ pattern: "*/*", zoneId }],
  content: `export default {
  async fetch(request, env) {
    const tenant = request.cf?.hostMetadata?.tenant;
    if (!tenant) return new Response("not a customer domain\\n", { status: 404 });
    return env.CUSTOMERS.get(tenant).fetch(request);
  },
};`,
});

const pad = (i: number) => String(i).padStart(3, "0");
const names = Array.from({ length: count }, (_, i) => `t-${pad(i + 1)}`);
const owner = new Map(names.map((name, i) => [`shop.customer-${pad(i + 1)}.com`, name]));
for (const [hostname, tenant] of Object.entries(moved)) owner.set(hostname, tenant);
const hostnamesOf = (tenant: string) =>
  [...owner].filter(([, t]) => t === tenant).map(([hostname]) => ({ hostname, customMetadata: { tenant } }));

export const hostnameStatuses = new TenantFleet(
  "fleet",
  {
    namespace,
    zoneId,
    defaults: {
      content: `export default { fetch(request, env) { return Response.json({ tenant: env.NAME, hostMetadata: request.cf?.hostMetadata ?? null }); } };`,
      compatibilityDate: "2025-01-01",
    },
    tenants: Object.fromEntries(
      names.filter((name) => !removed.has(name)).map((name) => [name, { bindings: { NAME: name }, hostnames: hostnamesOf(name) }]),
    ),
  },
  { dependsOn: [fallback] },
).hostnameStatuses;
