import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../../provider";
import dispatchNamespace = require("./dispatch-namespace");
import kvNamespace = require("./kv-namespace");
import namespacedWorkerScript = require("./namespaced-worker-script");
import workerScript = require("./worker-script");
import tenantFleet = require("./tenant-fleet");
import customHostname = require("./custom-hostname");
import fallbackOrigin = require("./fallback-origin");

/** One object per kind, each a module's export (./shim.ts says why); the engine also caches dynamic providers by object identity. */
const shims: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  DispatchNamespace: dispatchNamespace,
  KVNamespace: kvNamespace,
  NamespacedWorkerScript: namespacedWorkerScript,
  WorkerScript: workerScript,
  TenantFleet: tenantFleet,
  CustomHostname: customHostname,
  FallbackOrigin: fallbackOrigin,
};

export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return shims[kind];
}
