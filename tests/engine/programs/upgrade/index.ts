// One program that an earlier version of the package and the current one both accept: the stack it
// makes with the earlier version must refresh, update and destroy with the current one.
import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const greeting = config.get("greeting") ?? "hello";

const ns = new wfp.DispatchNamespace("tenants", { namespace: "upgrade-tenants" });
const kv = new wfp.KVNamespace("data", { title: "upgrade-data" });
const tenant = new wfp.NamespacedWorkerScript("tenant", {
  namespace: ns,
  name: "tenant",
  content: `export default { fetch() { return new Response(${JSON.stringify(greeting)}) } }`,
  compatibilityDate: "2025-01-01",
  bindings: { DATA: kv, CONFIG: wfp.json({ plan: "pro" }), API_KEY: wfp.secret(config.requireSecret("apiKey")) },
  tags: ["customer-a"],
  limits: { cpuMs: 50 },
  placement: { mode: "smart" },
  observability: { enabled: true },
});
const router = new wfp.WorkerScript("router", {
  name: "upgrade-router",
  content: 'export default { fetch(req, env) { return env.TENANTS.get("tenant").fetch(req) } }',
  compatibilityDate: "2025-01-01",
  bindings: { TENANTS: ns },
  routes: [{ pattern: "*.upgrade.example.com/*" }],
});

export const etag = tenant.etag;
export const routerEtag = router.etag;
