// Alchemy's "Multi-Tenant Architecture Example" (examples/README.md) as a Pulumi program: a dispatch namespace, two
// tenant workers bundled from one entrypoint with their own CONFIG, a KV namespace for tenant
// metadata, and the router worker bound to both and reached through a zone route.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { DispatchNamespace, type EnvOf, KVNamespace, NamespacedWorkerScript, WorkerScript, json } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
// Entrypoints relative to the Pulumi project, wherever this program's Pulumi.yaml is.
const source = (file: string) => path.relative(process.cwd(), path.join(__dirname, "src", file));

// Create a dispatch namespace for tenant workers
const tenants = new DispatchNamespace("tenants", {
  namespace: config.get("namespace") ?? "customer-workers",
});

// Create KV namespace for tenant metadata
const tenantData = new KVNamespace("tenant-data", {
  title: "Tenant Configuration",
});

// Deploy tenant-specific workers
const tenantWorkerA = new NamespacedWorkerScript("tenant-a", {
  scriptName: "customer-a-worker",
  entrypoint: source("tenant-worker.ts"),
  namespace: tenants,
  compatibilityDate: "2025-01-01",
  bindings: {
    CONFIG: json({ customerId: "customer-a", features: ["feature1", "feature2"] }),
  },
  tags: ["customer-a"],
});

const tenantWorkerB = new NamespacedWorkerScript("tenant-b", {
  scriptName: "customer-b-worker",
  entrypoint: source("tenant-worker.ts"),
  namespace: tenants,
  compatibilityDate: "2025-01-01",
  bindings: {
    CONFIG: json({ customerId: "customer-b", features: ["feature1", "feature3"] }),
  },
  tags: ["customer-b"],
});

// Create the main router that handles all tenant requests. Its code types `env` from these bindings.
const routerBindings = {
  TENANT_NAMESPACE: tenants,
  TENANT_DATA: tenantData,
};
export type RouterEnv = EnvOf<typeof routerBindings>;

const mainRouter = new WorkerScript("main-router", {
  scriptName: "platform-router",
  entrypoint: source("main-router.ts"),
  compatibilityDate: "2025-01-01",
  bindings: routerBindings,
  // The zone (example.com) is found from the pattern's host; give zoneId to choose it yourself.
  routes: [{ pattern: "*.platform.example.com/*" }],
});

export const namespace = tenants.namespace;
export const namespaceId = tenants.namespaceId;
export const tenantDataId = tenantData.namespaceId;
export const tenantScripts = [tenantWorkerA.scriptName, tenantWorkerB.scriptName];
export const router = mainRouter.scriptName;
export const routes = mainRouter.routeIds;
