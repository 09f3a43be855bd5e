// A fleet of `count` tenants sharing inline code, each with a plain, a JSON and (every hundredth)
// a secret binding. The tenant named by `upgraded` is on the "enterprise" plan.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, TenantFleet, json, secret } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const count = config.requireNumber("count");
const upgraded = config.get("upgraded");
const tenantKey = config.requireSecret("tenantKey");

const namespace = new DispatchNamespace("tenants", { namespace: "fleet-preview" });
const tenants = Object.fromEntries(
  Array.from({ length: count }, (_, i) => {
    const name = `t-${String(i).padStart(5, "0")}`;
    const plan = name === upgraded ? "enterprise" : i % 2 ? "pro" : "free";
    const bindings = {
      PLAN: plan,
      CONFIG: json({ customer: name, seats: i % 50 }),
      ...(i % 100 === 0 ? { API_KEY: secret(tenantKey) } : {}),
    };
    return [name, { bindings }];
  }),
);

new TenantFleet("customers", {
  namespace,
  defaults: { content: "export default { fetch(req, env) { return new Response(env.PLAN) } }", compatibilityDate: "2025-01-01" },
  tenants,
});
