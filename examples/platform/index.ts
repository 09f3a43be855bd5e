// A platform on its own hostname: the dispatcher is reached through a custom domain (Cloudflare
// creates its DNS record and certificate) and sends /<tenant>/... to a tenant: one keeps state in a
// Durable Object, its class created by a migration the first `up` runs once; one serves a static site.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { DispatchNamespace, type EnvOf, NamespacedWorkerScript, WorkerScript, durableObject } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
// Files of this example relative to the Pulumi project, wherever this program's Pulumi.yaml is.
const fromHere = (...parts: string[]) => path.relative(process.cwd(), path.join(__dirname, ...parts));
const source = (file: string) => fromHere("src", file);

const tenants = new DispatchNamespace("tenants", {
  namespace: config.get("namespace") ?? "platform-tenants",
});

// A tenant whose state lives in a Durable Object: `migrations` creates the Counter class (SQLite
// storage) once; later code changes upload without it. To rename or delete the class, change
// newTag (and oldTag to "v1") with that step.
const counterBindings = { COUNTER: durableObject("Counter") };
export type CounterEnv = EnvOf<typeof counterBindings>;

const counter = new NamespacedWorkerScript("counter", {
  scriptName: "counter",
  entrypoint: source("counter.ts"),
  namespace: tenants,
  compatibilityDate: "2025-01-01",
  bindings: counterBindings,
  migrations: { newTag: "v1", newSqliteClasses: ["Counter"] },
  tags: ["stateful"],
});

// A tenant serving the static site in ./public: Cloudflare answers its pages without running the
// Worker (about.html at /about, /about.html redirected there); /api/* runs the Worker first. A path
// no file answers runs the Worker too (so `notFoundHandling` would not apply), which sends
// 404.html with status 404.
const site = new NamespacedWorkerScript("site", {
  scriptName: "site",
  entrypoint: source("site-api.ts"),
  namespace: tenants,
  compatibilityDate: "2025-01-01",
  assets: {
    directory: fromHere("public"),
    config: { htmlHandling: "auto-trailing-slash", runWorkerFirst: ["/api/*"] },
  },
  tags: ["static"],
});

const dispatcherBindings = { TENANTS: tenants };
export type DispatcherEnv = EnvOf<typeof dispatcherBindings>;

const dispatcher = new WorkerScript("dispatcher", {
  scriptName: "platform-dispatcher",
  entrypoint: source("dispatcher.ts"),
  compatibilityDate: "2025-01-01",
  bindings: dispatcherBindings,
  // Every path of this hostname goes to the dispatcher; its zone (example.com) is found from it.
  customDomains: [{ hostname: config.get("hostname") ?? "platform.example.com" }],
});

export const namespace = tenants.namespace;
export const counterScript = counter.scriptName;
export const counterMigrationTag = counter.migrationTag;
export const siteScript = site.scriptName;
export const dispatcherScript = dispatcher.scriptName;
export const customDomainIds = dispatcher.customDomainIds;
