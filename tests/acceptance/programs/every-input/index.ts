// Every input of every resource kind, each binding helper once: what a refresh must read back and
// an up must restore after someone changes it outside Pulumi.
import * as pulumi from "@pulumi/pulumi";
import {
  DispatchNamespace,
  KVNamespace,
  NamespacedWorkerScript,
  WorkerScript,
  ai,
  analyticsEngine,
  binding,
  browser,
  d1Database,
  dispatchNamespace,
  durableObject,
  hyperdrive,
  json,
  kvNamespace,
  plainText,
  queue,
  r2Bucket,
  rateLimit,
  secret,
  secretsStoreSecret,
  service,
  vectorize,
  versionMetadata,
  workflow,
} from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();

const tenants = new DispatchNamespace("tenants", { namespace: "every-input-tenants", trustedWorkers: true });
const settings = new KVNamespace("settings", { title: "every-input-settings" });

const outbound = new WorkerScript("outbound", {
  name: "every-input-outbound",
  content: "export class Counter {} export class Onboarding {} export default { fetch(request) { return fetch(request); } };",
  compatibilityDate: "2025-01-01",
});

const router = new WorkerScript("router", {
  name: "every-input-router",
  content:
    "export default { fetch(request, env) { return env.TENANTS.get(new URL(request.url).hostname.split('.')[0]).fetch(request); } };",
  compatibilityDate: "2025-01-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: {
    TENANTS: dispatchNamespace(tenants, { outbound: { service: outbound.scriptName, params: ["customer"] } }),
    SETTINGS: settings,
    OUTBOUND: outbound,
  },
  tags: ["router"],
  limits: { cpuMs: 100, subrequests: 50 },
  usageModel: "standard",
  placement: { mode: "smart" },
  observability: { enabled: true, headSamplingRate: 1 },
  logpush: true,
  keepBindings: ["secret_text"],
  routes: [{ pattern: "*.every-input.example.com/*" }],
  workersDev: true,
  customDomains: [{ hostname: "every-input.example.com" }],
});

const tenant = new NamespacedWorkerScript("tenant", {
  namespace: tenants,
  name: "every-input-tenant",
  content: "export default { fetch(request, env) { return new Response(env.GREETING); } };",
  compatibilityDate: "2025-01-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: {
    GREETING: "hello",
    NAMESPACE_ID: plainText(tenants.namespaceId),
    CONFIG: json({ plan: "pro", features: ["a", "b"] }),
    API_KEY: secret(config.requireSecret("apiKey")),
    SIGNING_KEY: config.requireSecret("signingKey"),
    SETTINGS: settings,
    SETTINGS_BY_ID: kvNamespace(settings.namespaceId),
    OUTBOUND: outbound,
    OUTBOUND_SERVICE: service(outbound.scriptName, { entrypoint: "default" }),
    OTHER_TENANTS: dispatchNamespace(tenants.namespace),
    ASSETS_BUCKET: r2Bucket("tenant-assets", { jurisdiction: "eu" }),
    DB: d1Database("0f2f1e4a-5b6c-4d7e-8f90-a1b2c3d4e5f6"),
    JOBS: queue("tenant-jobs"),
    COUNTER: durableObject("Counter", { scriptName: outbound.scriptName }),
    ONBOARDING: workflow("onboarding", { className: "Onboarding", scriptName: outbound.scriptName }),
    EVENTS: analyticsEngine("tenant_events"),
    POSTGRES: hyperdrive("a1b2c3d4e5f60718293a4b5c6d7e8f90"),
    EMBEDDINGS: vectorize("tenant-embeddings"),
    LIMITER: rateLimit("1001", { limit: 100, period: 60 }),
    STRIPE_KEY: secretsStoreSecret("b1c2d3e4f5a60718293a4b5c6d7e8f90", "stripe-key"),
    AI: ai(),
    BROWSER: browser(),
    VERSION: versionMetadata(),
    CERT: binding({ type: "mtls_certificate", certificate_id: "c1d2e3f4-a5b6-4c7d-8e9f-a0b1c2d3e4f5" }),
  },
  tags: ["tenant", "plan-pro"],
  limits: { cpuMs: 50, subrequests: 20 },
  usageModel: "standard",
  placement: { mode: "smart" },
  observability: { enabled: true, headSamplingRate: 0.5 },
  logpush: true,
  keepBindings: ["secret_key"],
  migrations: { newTag: "v1", steps: [{ newSqliteClasses: ["Room"] }, { newClasses: ["Lobby"] }] },
});

export const namespaceId = tenants.namespaceId;
export const kvId = settings.namespaceId;
export const routeIds = router.routeIds;
export const tenantName = tenant.scriptName;
