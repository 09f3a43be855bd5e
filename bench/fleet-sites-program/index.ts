// One TenantFleet of static sites: every directory under ./sites (the bench writes `tenants` of them)
// is a tenant serving it as its assets, in front of one shared inline Worker.
import * as fs from "node:fs";
import { DispatchNamespace, TenantFleet, type TenantArgs } from "pulumi-cloudflare-wfp";

const namespace = new DispatchNamespace("sites", { namespace: "bench-fleet-sites" });
const tenants: Record<string, TenantArgs> = {};
for (const site of fs.readdirSync("./sites")) tenants[site] = { assets: { directory: `./sites/${site}` } };
new TenantFleet("sites", {
  namespace,
  defaults: { content: 'export default { fetch(req) { return new Response("api") } }', compatibilityDate: "2025-01-01" },
  tenants,
});
