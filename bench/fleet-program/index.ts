// One TenantFleet of `tenants` tenants sharing one inline code; `changed` names the tenant whose binding changes,
// `codeVariant` changes the shared code.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, TenantFleet, type TenantArgs } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const count = config.requireNumber("tenants");
const changed = config.get("changed");
// Set to change the code every tenant shares (one upload per tenant).
const codeVariant = config.get("codeVariant") ?? "v1";
const namespace = new DispatchNamespace("tenants", { namespace: "bench-fleet" });
const tenants: Record<string, TenantArgs> = {};
for (let i = 0; i < count; i++) {
  const name = `tenant-${String(i).padStart(5, "0")}`;
  tenants[name] = { bindings: { TENANT: name === changed ? `${name}-changed` : name }, tags: [`plan-${i % 3 === 0 ? "pro" : "free"}`] };
}
new TenantFleet("customers", {
  namespace,
  defaults: {
    content:
      'export default { fetch(req, env) { return new Response("hello " + env.TENANT) } }' +
      (codeVariant === "v1" ? "" : ` // ${codeVariant}`),
    compatibilityDate: "2025-01-01",
  },
  tenants,
});
