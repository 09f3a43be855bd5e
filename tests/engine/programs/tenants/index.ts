import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();

const ns = new wfp.DispatchNamespace("tenants", { namespace: config.require("namespace") });

// One inline tenant: its code comes from config so a spec can change it.
const inline = new wfp.NamespacedWorkerScript("tenant-a", {
  namespace: ns,
  content: `export default { fetch() { return new Response(${JSON.stringify(config.get("greeting") ?? "hello from a")}) } }`,
  compatibilityDate: config.get("compatibilityDate") ?? "2024-09-23",
  tags: ["customer-a", "plan-free"],
});

// One bundled from TypeScript that imports a helper module and a JSON file.
const bundled = new wfp.NamespacedWorkerScript("tenant-b", {
  namespace: ns,
  entrypoint: "src/tenant-b/index.ts",
  compatibilityDate: "2024-09-23",
  compatibilityFlags: ["nodejs_compat"],
  limits: { cpuMs: 50 },
});

// One with every kind of binding the sdk has a helper for.
const bound = new wfp.NamespacedWorkerScript("tenant-c", {
  namespace: ns.namespace,
  scriptName: "tenant-c",
  content: "export default { fetch(req, env) { return Response.json(Object.keys(env)) } }",
  compatibilityDate: "2024-09-23",
  bindings: {
    GREETING: "hello",
    CONFIG: wfp.json({ plan: "enterprise", features: ["a", "b"] }),
    API_KEY: wfp.secret(config.requireSecret("apiKey")),
    DB_PASSWORD: config.requireSecret("dbPassword"),
    CACHE: wfp.kvNamespace("0f2ac74b498b48028cb68387c421e279"),
    AUTH: wfp.service("auth-worker", { environment: "production" }),
    OTHER_TENANTS: wfp.dispatchNamespace(ns, { outbound: { service: "outbound-worker", params: ["customer"] } }),
    BUCKET: wfp.r2Bucket("tenant-files", { jurisdiction: "eu" }),
    DB: wfp.d1Database("a1b2c3d4-0000-4000-8000-000000000001"),
    JOBS: wfp.queue("tenant-jobs"),
    COUNTER: wfp.durableObject("Counter", { scriptName: "counter-worker" }),
    ANALYTICS: wfp.analyticsEngine("tenant_events"),
    PG: wfp.hyperdrive("5f8d2e9b6c3a4f1e8d7c6b5a4f3e2d1c"),
    INDEX: wfp.vectorize("tenant-index"),
    AI: wfp.ai(),
    BROWSER: wfp.browser(),
    VERSION: wfp.versionMetadata(),
    FLOW: wfp.workflow("onboarding", { className: "Onboarding", scriptName: "flows" }),
    LIMITER: wfp.rateLimit("1001", { limit: 100, period: 60 }),
    STRIPE: wfp.secretsStoreSecret("store-1", "stripe-key"),
  },
});

export const namespace = ns.namespace;
export const scripts = {
  a: { etag: inline.etag, contentHash: inline.contentHash, handlers: inline.handlers, tags: inline.tags },
  b: { etag: bundled.etag, contentHash: bundled.contentHash },
  c: { etag: bound.etag, scriptName: bound.scriptName },
};
