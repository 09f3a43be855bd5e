/**
 * The provider implementation, loaded by name inside the Pulumi provider process by the thin shim
 * that the sdk serializes into state (see sdk/provider-shims/shim.ts). Everything stateful (credentials
 * from stack config, the API client, the request policy) lives in modules loaded from here, once
 * per provider process.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "./cloudflare/credentials";
import { defaultPolicy } from "./cloudflare/request-policy";
import { watchEngine } from "./engine-watch";
import { structSafeProvider } from "./framework/struct-safe";
import { dispatchNamespaceProvider } from "./resources/dispatch-namespace";
import { namespacedWorkerScriptProvider } from "./resources/namespaced-worker-script";
import { kvNamespaceProvider } from "./resources/kv-namespace";
import { customHostnameProvider } from "./resources/custom-hostname";
import { fallbackOriginProvider } from "./resources/fallback-origin";
import { workerScriptProvider } from "./resources/worker-script";
import { tenantFleetProvider } from "./resources/tenant-fleet";

export type ResourceKind = "DispatchNamespace" | "NamespacedWorkerScript" | "WorkerScript" | "KVNamespace" | "TenantFleet" | "CustomHostname" | "FallbackOrigin";

/** What the engine calls, per kind: every result made Struct-safe on its way out (framework/struct-safe.ts). */
export const providers: Record<ResourceKind, pulumi.dynamic.ResourceProvider> = {
  DispatchNamespace: structSafeProvider(dispatchNamespaceProvider),
  NamespacedWorkerScript: structSafeProvider(namespacedWorkerScriptProvider),
  WorkerScript: structSafeProvider(workerScriptProvider),
  KVNamespace: structSafeProvider(kvNamespaceProvider),
  TenantFleet: structSafeProvider(tenantFleetProvider),
  CustomHostname: structSafeProvider(customHostnameProvider),
  FallbackOrigin: structSafeProvider(fallbackOriginProvider),
};

/** Called by the engine once per provider with the whole stack config (namespaced keys kept). */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setStackConfig((key) => req.config.get(key));
}

/** The longest wait, once the engine is gone, for requests already sent to be answered. */
const DRAIN_MS = 10_000;

/** Whether this process is the dynamic provider plugin the engine started (its main module is the Node SDK's provider host). */
function isProviderPlugin(): boolean {
  return /[\\/]cmd[\\/]dynamic-provider[\\/]/.test(require.main?.filename ?? "");
}

/**
 * Once the engine that started this process has died (engine-watch.ts), nobody will record what
 * this process does: it starts no new request, lets those in flight end, and exits.
 */
function exitWhenEngineIsGone(): void {
  watchEngine(() => {
    // Nobody reads this process's output any more: a write fails with EPIPE, which the plugin host's
    // uncaught-error handler would report by writing again, endlessly, starving everything else.
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
    const drained = defaultPolicy.stop("the Pulumi engine that started this provider has exited");
    const deadline = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
    void Promise.race([drained, deadline]).then(() => process.exit(1));
  });
}

export type { DispatchNamespaceInputs, DispatchNamespaceOutputs } from "./resources/dispatch-namespace";
export type { NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs } from "./resources/namespaced-worker-script";
export type { KVNamespaceInputs, KVNamespaceOutputs } from "./resources/kv-namespace";
export type { CustomHostnameInputs, CustomHostnameOutputs, CustomHostnameSsl, DcvMethod, OwnershipVerification, SslValidationRecord } from "./resources/custom-hostname";
export type { FallbackOriginInputs, FallbackOriginOutputs } from "./resources/fallback-origin";
export type { TenantFleetInputs, TenantFleetOutputs } from "./resources/tenant-fleet";
export type { TenantSpec } from "./fleet/spec";
export type { TenantState } from "./fleet/states";
export type { WorkerScriptInputs, WorkerScriptOutputs } from "./resources/worker-script";
export type { WorkerRoute } from "./workers/triggers";
export type { CustomDomain } from "./workers/custom-domains";
export type { MigrationStep, Migrations } from "./workers/migrations";
export type { BindingMap, BindingSpec, BindingType, MetadataBinding } from "./workers/bindings";
export type { Observability, Placement, UsageModel, WorkerLimits } from "./workers/config";

// This module is loaded once per process (Node's module cache): in the plugin process, watch the engine from the start.
if (isProviderPlugin()) exitWhenEngineIsGone();
