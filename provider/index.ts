/**
 * The provider implementation, loaded by name inside the Pulumi provider process by the thin shim
 * that the sdk serializes into state (see sdk/provider-shims/shim.ts). Everything stateful (credentials
 * from stack config, the API client, the request policy) lives in modules loaded from here, once
 * per provider process.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "./cloudflare/credentials";
import { structSafeProvider } from "./framework/struct-safe";
import { dispatchNamespaceProvider } from "./resources/dispatch-namespace";
import { namespacedWorkerScriptProvider } from "./resources/namespaced-worker-script";
import { kvNamespaceProvider } from "./resources/kv-namespace";
import { workerScriptProvider } from "./resources/worker-script";
import { tenantFleetProvider } from "./resources/tenant-fleet";

export type ResourceKind = "DispatchNamespace" | "NamespacedWorkerScript" | "WorkerScript" | "KVNamespace" | "TenantFleet";

/** What the engine calls, per kind: every result made Struct-safe on its way out (framework/struct-safe.ts). */
export const providers: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  DispatchNamespace: structSafeProvider(dispatchNamespaceProvider),
  NamespacedWorkerScript: structSafeProvider(namespacedWorkerScriptProvider),
  WorkerScript: structSafeProvider(workerScriptProvider),
  KVNamespace: structSafeProvider(kvNamespaceProvider),
  TenantFleet: structSafeProvider(tenantFleetProvider),
};

/** Called by the engine once per provider with the whole stack config (namespaced keys kept). */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setStackConfig((key) => req.config.get(key));
}

export type { DispatchNamespaceInputs, DispatchNamespaceOutputs } from "./resources/dispatch-namespace";
export type { NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs } from "./resources/namespaced-worker-script";
export type { KVNamespaceInputs, KVNamespaceOutputs } from "./resources/kv-namespace";
export type { TenantFleetInputs, TenantFleetOutputs } from "./resources/tenant-fleet";
export type { TenantSpec } from "./fleet/spec";
export type { TenantState } from "./fleet/states";
export type { WorkerScriptInputs, WorkerScriptOutputs } from "./resources/worker-script";
export type { WorkerRoute } from "./workers/triggers";
export type { CustomDomain } from "./workers/custom-domains";
export type { MigrationStep, Migrations } from "./workers/migrations";
export type { BindingMap, BindingSpec, BindingType, MetadataBinding } from "./workers/bindings";
export type { Observability, Placement, UsageModel, WorkerLimits } from "./workers/config";
