// A TenantFleet of `count` tenants sharing one inline Worker, in the namespace `namespace`.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, TenantFleet } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const namespace = new DispatchNamespace("tenants", { namespace: config.require("namespace") });
const count = config.requireNumber("count");

new TenantFleet("fleet", {
  namespace,
  defaults: { content: `export default { fetch(request, env) { return new Response(env.NAME); } };`, compatibilityDate: "2025-01-01" },
  tenants: Object.fromEntries(Array.from({ length: count }, (_, i) => [`tenant-${i + 1}`, { bindings: { NAME: `tenant-${i + 1}` } }])),
});
