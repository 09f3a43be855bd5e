// Hostname routing for a platform: each customer reaches their tenant on their own domain. The domains
// are custom hostnames of the platform's zone (Cloudflare for SaaS); the zone's "*" + "/*" route sends
// every request to one dispatcher, which picks the tenant from the hostname's custom metadata
// (request.cf.hostMetadata). Config: `zoneId` (the platform's zone), optionally `zoneName` and `domains`
// ({ "<customer domain>": "<tenant>" }): give a domain another tenant to move it, drop it to remove it.
import * as pulumi from "@pulumi/pulumi";
import { CustomHostname, DispatchNamespace, FallbackOrigin, NamespacedWorkerScript, WorkerScript } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const zoneId = config.require("zoneId");
const zoneName = config.get("zoneName") ?? "example.com";
const domains = config.getObject<Record<string, string>>("domains") ?? { "shop.acme-store.com": "acme", "www.globex-goods.com": "globex" };

const namespace = new DispatchNamespace("customers", { namespace: "saas-customers" });

for (const tenant of ["acme", "globex"]) {
  new NamespacedWorkerScript(tenant, {
    namespace,
    scriptName: tenant,
    compatibilityDate: "2025-01-01",
    content: `export default {
  fetch(request) {
    return Response.json({ tenant: ${JSON.stringify(tenant)}, host: new URL(request.url).hostname, hostMetadata: request.cf?.hostMetadata ?? null });
  },
};`,
  });
}

// Every request entering the zone, the customers' domains included, reaches the dispatcher.
new WorkerScript("dispatcher", {
  scriptName: "saas-dispatcher",
  compatibilityDate: "2025-01-01",
  bindings: { CUSTOMERS: namespace },
  routes: [{ pattern: "*/*", zoneId }],
  content: `export default {
  async fetch(request, env) {
    const tenant = request.cf?.hostMetadata?.tenant;
    if (!tenant) return new Response("not a customer domain: " + new URL(request.url).hostname + "\\n", { status: 404 });
    return env.CUSTOMERS.get(tenant).fetch(request);
  },
};`,
});

// Custom hostnames become active only once the zone has a fallback origin (here an originless record the route covers).
const fallback = new FallbackOrigin("fallback", { zoneId, origin: `fallback.${zoneName}` });

const hostnames = Object.entries(domains).map(
  ([hostname, tenant]) => new CustomHostname(hostname, { zoneId, hostname, customMetadata: { tenant } }, { dependsOn: [fallback] }),
);

/** Per domain: its verification status and the TXT record its customer must publish (until it is active). */
export const customerDomains = pulumi
  .all(hostnames.map((h) => pulumi.all([h.hostname, h.status, h.sslStatus, h.ownershipVerification])))
  .apply((rows) =>
    Object.fromEntries(
      rows.map(([hostname, status, sslStatus, record]) => [hostname, { status, sslStatus, ...(record ? { publish: record } : {}) }]),
    ),
  );
