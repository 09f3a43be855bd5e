import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const count = config.requireNumber("tenants");
// Tenants below `skip` are left out (removed from the fleet); those in `changed` (comma-separated) get their own binding value.
const skip = config.getNumber("skip") ?? 0;
const changed = new Set((config.get("changed") ?? "").split(","));

const ns = new wfp.DispatchNamespace("fleet", { namespace: config.require("namespace") });
const tenants: Record<string, wfp.TenantArgs> = {};
for (let i = skip; i < count; i++) {
  const name = `tenant-${String(i).padStart(4, "0")}`;
  tenants[name] = { bindings: { TENANT: changed.has(name) ? `${name}-changed` : name }, tags: [`plan-${i % 2 ? "pro" : "free"}`] };
}
const fleet = new wfp.TenantFleet("customers", {
  namespace: ns,
  defaults: {
    content: 'export default { fetch(req, env) { return new Response("hello " + env.TENANT) } }',
    compatibilityDate: "2025-01-01",
  },
  tenants,
});
export const accountId = fleet.accountId;
