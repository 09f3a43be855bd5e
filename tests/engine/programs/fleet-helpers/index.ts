import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const count = config.requireNumber("tenants");
// The secret every tenant's API key is made from; `rotated` names the tenant whose key changes.
const keyBase = config.requireSecret("keyBase");
const rotated = config.get("rotated");

const ns = new wfp.DispatchNamespace("fleet", { namespace: config.require("namespace") });
const data = new wfp.KVNamespace("data", { title: `${config.require("namespace")}-data` });
const tenants: Record<string, wfp.TenantArgs> = {};
for (let i = 0; i < count; i++) {
  const name = `tenant-${String(i).padStart(4, "0")}`;
  const plan = i % 3 === 0 ? "pro" : "free";
  tenants[name] = {
    bindings: {
      PLAN: plan,
      CONFIG: wfp.json({ plan, seats: 5 + i }),
      API_KEY: wfp.secret(pulumi.interpolate`${keyBase}-${name}${name === rotated ? "-rotated" : ""}`),
      DATA: data,
    },
  };
}
new wfp.TenantFleet("customers", {
  namespace: ns,
  defaults: { content: 'export default { fetch(req, env) { return new Response("hello " + env.PLAN) } }', compatibilityDate: "2025-01-01" },
  tenants,
});
