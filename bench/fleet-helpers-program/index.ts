// One TenantFleet of `tenants` tenants sharing one inline code, each written with the package's helpers:
// a plain text binding, a `json(...)` binding, a `secret(...)` binding and a KVNamespace bound as a resource.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { DispatchNamespace, KVNamespace, TenantFleet, json, secret, type TenantArgs } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const count = config.requireNumber("tenants");
const namespace = new DispatchNamespace("tenants", { namespace: "bench-fleet-helpers" });
const data = new KVNamespace("tenant-data", { title: "bench-fleet-tenant-data" });
const tenants: Record<string, TenantArgs> = {};
for (let i = 0; i < count; i++) {
  const name = `tenant-${String(i).padStart(5, "0")}`;
  const plan = i % 3 === 0 ? "pro" : "free";
  tenants[name] = {
    bindings: {
      PLAN: plan,
      CONFIG: json({ plan, seats: 5 + (i % 50) }),
      // A per-tenant API key (27 characters), as a platform would read it from its own store.
      API_KEY: secret(`sk_${createHash("sha256").update(name).digest("hex").slice(0, 24)}`),
      DATA: data,
    },
  };
}
new TenantFleet("customers", {
  namespace,
  defaults: { content: 'export default { fetch(req, env) { return new Response("hello " + env.PLAN) } }', compatibilityDate: "2025-01-01" },
  tenants,
});
