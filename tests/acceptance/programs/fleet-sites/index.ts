// A site builder's platform as one TenantFleet: every directory under ./sites is a customer's static
// site (with its own _headers and _redirects), plus one tenant counting visits in a Durable Object.
// A dispatcher on sites.example.com sends /<tenant>/<path> to that tenant. Config `step` is the
// counter's migration: v1 creates the class Counter; v2 renames it to Tally.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, TenantFleet, WorkerScript, durableObject, type Migrations, type TenantArgs } from "pulumi-cloudflare-wfp";

const step = new pulumi.Config().get("step") ?? "v1";
const steps: Record<string, { className: string; migrations: Migrations }> = {
  v1: { className: "Counter", migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } },
  v2: { className: "Tally", migrations: { oldTag: "v1", newTag: "v2", renamedClasses: [{ from: "Counter", to: "Tally" }] } },
};
const { className, migrations } = steps[step];

const namespace = new DispatchNamespace("sites", { namespace: "site-fleet" });

const sites: Record<string, TenantArgs> = Object.fromEntries(
  fs
    .readdirSync("./sites")
    .map((site) => [site, { assets: { directory: `./sites/${site}`, config: { htmlHandling: "auto-trailing-slash" } } }]),
);

const fleet = new TenantFleet("customers", {
  namespace,
  defaults: {
    content: `export default { fetch(request) { return Response.json({ worker: new URL(request.url).pathname }); } };`,
    compatibilityDate: "2025-01-01",
  },
  tenants: {
    ...sites,
    counter: {
      content: `import { DurableObject } from "cloudflare:workers";
export class ${className} extends DurableObject {
  async increment() {
    const count = ((await this.ctx.storage.get("count")) ?? 0) + 1;
    await this.ctx.storage.put("count", count);
    return count;
  }
}
export default {
  async fetch(request, env) {
    const stub = env.COUNTER.get(env.COUNTER.idFromName("visits"));
    return Response.json({ class: "${className}", count: await stub.increment() });
  },
};`,
      bindings: { COUNTER: durableObject(className) },
      migrations,
    },
  },
});

new WorkerScript(
  "front",
  {
    scriptName: "fleet-sites-front",
    content: `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const [, tenant, ...rest] = url.pathname.split("/");
    url.pathname = "/" + rest.join("/");
    return env.TENANTS.get(tenant).fetch(new Request(url, request));
  },
};`,
    compatibilityDate: "2025-01-01",
    bindings: { TENANTS: namespace },
    customDomains: [{ hostname: "sites.example.com" }],
  },
  { dependsOn: [fleet] },
);

export const tenantCount = fleet.scripts.apply((scripts) => Object.keys(scripts).length);
