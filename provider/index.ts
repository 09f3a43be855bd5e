/**
 * The provider implementation, loaded by name inside the Pulumi provider process by the thin shim
 * that the sdk serializes into state (see sdk/provider-shims/shim.ts). Node's module cache makes this
 * module one per provider process: the process's one context (context.ts: configuration, request
 * policy, caches, the API) is made here and handed to every resource kind.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ProviderContext } from "./context";
import { watchEngine } from "./engine-watch";
import { asResourceProvider } from "./framework/resource-methods";
import { structSafeProvider } from "./framework/struct-safe";
import { dispatchNamespaceResource } from "./resources/dispatch-namespace";
import { namespacedWorkerScriptResource } from "./resources/namespaced-worker-script";
import { kvNamespaceResource } from "./resources/kv-namespace";
import { customHostnameResource } from "./resources/custom-hostname";
import { fallbackOriginResource } from "./resources/fallback-origin";
import { workerScriptResource } from "./resources/worker-script";
import { tenantFleetResource } from "./resources/tenant-fleet";

export type ResourceKind =
  "DispatchNamespace" | "NamespacedWorkerScript" | "WorkerScript" | "KVNamespace" | "TenantFleet" | "CustomHostname" | "FallbackOrigin";

/** What the engine calls in `context`, per kind: every result made Struct-safe on its way out (framework/struct-safe.ts). */
export function providersIn(context: ProviderContext): Record<ResourceKind, pulumi.dynamic.ResourceProvider> {
  return {
    DispatchNamespace: structSafeProvider(asResourceProvider(dispatchNamespaceResource(context))),
    NamespacedWorkerScript: structSafeProvider(asResourceProvider(namespacedWorkerScriptResource(context))),
    WorkerScript: structSafeProvider(asResourceProvider(workerScriptResource(context))),
    KVNamespace: structSafeProvider(asResourceProvider(kvNamespaceResource(context))),
    TenantFleet: structSafeProvider(asResourceProvider(tenantFleetResource(context))),
    CustomHostname: structSafeProvider(asResourceProvider(customHostnameResource(context))),
    FallbackOrigin: structSafeProvider(asResourceProvider(fallbackOriginResource(context))),
  };
}

/** This provider process's context. */
const processContext = new ProviderContext();

/** What the engine calls in this process. */
export const providers = providersIn(processContext);

/** Called by the engine once per provider with the whole stack config (namespaced keys kept). */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  processContext.config.setStackConfig((key) => req.config.get(key));
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
    const drained = processContext.policy.stop("the Pulumi engine that started this provider has exited");
    const deadline = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
    void Promise.race([drained, deadline]).then(() => process.exit(1));
  });
}

export type { DispatchNamespaceInputs, DispatchNamespaceOutputs } from "./resources/dispatch-namespace";
export type { NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs } from "./resources/namespaced-worker-script";
export type { KVNamespaceInputs, KVNamespaceOutputs } from "./resources/kv-namespace";
export type {
  CustomHostnameInputs,
  CustomHostnameOutputs,
  CustomHostnameSsl,
  DcvMethod,
  OwnershipVerification,
  SslValidationRecord,
} from "./resources/custom-hostname";
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
