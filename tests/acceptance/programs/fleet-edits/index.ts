// Fifty customer tenants tagged with their plan (`plan`), one of them (t-003) with its own API key
// (`tenantKey`, set with `pulumi config set --secret`); and five staff tenants sharing one key from
// `defaults` (`sharedKey`). Re-tagging every customer and rotating either key is a platform's daily
// work, and none of it changes a tenant's code.
import * as pulumi from "@pulumi/pulumi";
import { type Bindings, DispatchNamespace, TenantFleet, secret } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const plan = config.require("plan");
const code = "export default { fetch(request, env) { return new Response(env.TENANT) } }";

const customers = new DispatchNamespace("customers", { namespace: "fleet-edits" });
new TenantFleet("customers", {
  namespace: customers,
  defaults: { content: code, compatibilityDate: "2025-01-01" },
  tenants: Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => {
      const name = `t-${String(i).padStart(3, "0")}`;
      const bindings: Bindings = { TENANT: name };
      if (name === "t-003") bindings.API_KEY = secret(config.requireSecret("tenantKey"));
      return [name, { tags: [`plan-${plan}`], bindings }];
    }),
  ),
});

const staff = new DispatchNamespace("staff", { namespace: "fleet-edits-staff" });
new TenantFleet("staff", {
  namespace: staff,
  defaults: { content: code, compatibilityDate: "2025-01-01", bindings: { SHARED_KEY: secret(config.requireSecret("sharedKey")) } },
  tenants: Object.fromEntries(["s-1", "s-2", "s-3", "s-4", "s-5"].map((name) => [name, { bindings: { TENANT: name } }])),
});
