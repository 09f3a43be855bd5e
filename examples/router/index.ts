// Alchemy's "Deploy Worker to Dispatch Namespace" and "Bind to Dispatch Namespace" (examples/README.md).
import * as path from "node:path";
import { DispatchNamespace, NamespacedWorkerScript, WorkerScript } from "pulumi-cloudflare-wfp";

const source = (file: string) => path.relative(process.cwd(), path.join(__dirname, "src", file));

const namespace = new DispatchNamespace("tenant-workers", {
  namespace: "production-tenants",
});

// Deploy a worker to the dispatch namespace
const tenantWorker = new NamespacedWorkerScript("tenant-handler", {
  name: "tenant-handler",
  entrypoint: source("tenant.ts"),
  namespace: namespace,
});

// Create a router worker that binds to the dispatch namespace
const router = new WorkerScript("router", {
  name: "main-router",
  entrypoint: source("router.ts"),
  bindings: {
    TENANTS: namespace,
  },
});

export const tenant = tenantWorker.scriptName;
export const routerName = router.scriptName;
