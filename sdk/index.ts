/**
 * pulumi-cloudflare-wfp: Cloudflare Workers for Platforms resources for Pulumi programs.
 */
export { DispatchNamespace } from "./dispatch-namespace";
export type { DispatchNamespaceArgs } from "./dispatch-namespace";
export { NamespacedWorkerScript } from "./namespaced-worker-script";
export type { NamespacedWorkerScriptArgs } from "./namespaced-worker-script";
export { WorkerScript } from "./worker-script";
export type { WorkerScriptArgs } from "./worker-script";
export { TenantFleet } from "./tenant-fleet";
export type { TenantArgs, TenantFleetArgs } from "./tenant-fleet";
export { shardOf } from "./shard";
export type { TenantState } from "../provider";
export { KVNamespace } from "./kv-namespace";
export type { KVNamespaceArgs } from "./kv-namespace";
export { CustomHostname } from "./custom-hostname";
export type { CustomHostnameArgs, CustomHostnameSslArgs } from "./custom-hostname";
export type { TenantHostnameArgs, TenantHostnamesArgs } from "./tenant-hostnames";
export { FallbackOrigin } from "./fallback-origin";
export type { FallbackOriginArgs } from "./fallback-origin";
export type { Bindable } from "./bindable";
export { workersScriptDispatchBinding } from "./interop";
export type { WorkersScriptDispatchNamespaceBinding } from "./interop";
export type { WorkerArgs, WorkerAssets, WorkerAssetsConfig } from "./worker-args";
export * as bindings from "./bindings";
export {
  ai,
  analyticsEngine,
  assets,
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
} from "./bindings";
export type { BindingInput, Bindings, BindingSpec, BindingType, OutboundWorker } from "./bindings";
export type {
  CustomDomain,
  DcvMethod,
  OwnershipVerification,
  SslValidationRecord,
  MetadataBinding,
  MigrationStep,
  Migrations,
  Observability,
  Placement,
  UsageModel,
  WorkerLimits,
  WorkerRoute,
} from "../provider";
export type { BindingSpecOf, EnvOf, JsonBindingSpec, RuntimeBindingTypes, RuntimeOf } from "./runtime-env";
export { CloudflareAccount } from "./credentials";
export type { CloudflareCredentialArgs, CloudflareCredentialFields } from "./credentials";
