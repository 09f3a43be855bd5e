/**
 * For each resource kind, its provider inputs with every optional input set (the shapes the sdk
 * sends), against an emulator whose account holds what they refer to. Specs derive their cases
 * from these shapes, so a new input is covered by adding it here once.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { defaultZoneId, type Emulator } from "../../emulator";
import type { ResourceKind } from "../../provider";
import { sdk } from "../emulator/helpers";

const WORKER = 'export default { fetch() { return new Response("every input") } }';
/** A namespace for tenants to live in, and one to bind; created by `prepare`. */
const TENANTS = "every-input-tenants";

export interface KindCase {
  kind: ResourceKind;
  provider: pulumi.dynamic.ResourceProvider;
  /** The inputs as the sdk registers them, every optional one set. */
  inputs: Record<string, unknown>;
  /** Inputs whose change replaces the resource; any other change is an update in place. */
  replacedBy: string[];
}

/** Creates what the inputs refer to (a KV namespace, a dispatch namespace) and returns every kind's case. */
export async function everyInput(emu: Emulator, providers: Record<ResourceKind, pulumi.dynamic.ResourceProvider>): Promise<KindCase[]> {
  const client = sdk(emu);
  const tenants = await client.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: TENANTS });
  const kv = await client.kv.namespaces.create({ account_id: emu.accountId, title: "every-input-kv" });
  const credentials = { apiToken: emu.apiToken, accountId: emu.accountId };
  const worker = {
    content: WORKER,
    compatibilityDate: "2025-01-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings: {
      TEXT: { type: "plain_text", text: "hello" },
      CONFIG: { type: "json", json: { plan: "pro", features: ["a", "b"], limits: { rps: 10 } } },
      DATA: { type: "kv_namespace", namespace_id: kv.id },
      TENANTS: {
        type: "dispatch_namespace",
        namespace: TENANTS,
        outbound: { worker: { service: "outbound" }, params: [{ name: "customer" }] },
      },
      AI: { type: "ai" },
      VERSION: { type: "version_metadata" },
      ASSETS: { type: "assets" },
      LIMITER: { type: "ratelimit", namespace_id: "1001", simple: { limit: 100, period: 60 } },
    },
    secretBindings: { API_KEY: { type: "secret_text", text: "s3cr3t-value" } },
    tags: ["plan-pro", "region-eu"],
    limits: { cpuMs: 50, subrequests: 20 },
    usageModel: "standard",
    placement: { mode: "smart" },
    observability: { enabled: true, headSamplingRate: 0.5, logs: { enabled: true, invocationLogs: false } },
    logpush: false,
    keepBindings: ["secret_key"],
    migrations: {
      newTag: "v2",
      steps: [{ newSqliteClasses: ["Counter"] }, { renamedClasses: [{ from: "Counter", to: "Tally" }], newClasses: ["Room"] }],
    },
    assets: {
      directory: path.join(__dirname, "../fixtures/site"),
      config: {
        htmlHandling: "drop-trailing-slash",
        notFoundHandling: "404-page",
        runWorkerFirst: ["/api/*"],
        headers: "/*\n  X-Robots-Tag: noindex",
        redirects: "/old /new 301",
      },
    },
    ...credentials,
  };
  return [
    {
      kind: "DispatchNamespace",
      provider: providers.DispatchNamespace,
      inputs: { namespace: "every-input-namespace", adopt: false, trustedWorkers: true, ...credentials },
      replacedBy: ["accountId"],
    },
    {
      kind: "KVNamespace",
      provider: providers.KVNamespace,
      inputs: { title: "every-input-title", adopt: false, ...credentials },
      replacedBy: ["accountId"],
    },
    {
      kind: "NamespacedWorkerScript",
      provider: providers.NamespacedWorkerScript,
      inputs: {
        namespace: TENANTS,
        namespaceId: tenants.namespace_id,
        scriptName: "every-input-tenant",
        ...worker,
        zoneId: defaultZoneId(emu.accountId, "example.com"),
        hostnames: [
          { hostname: "shop.every-tenant.com", customMetadata: { tenant: "every-input-tenant" } },
          { hostname: "eu.every-tenant.com", ssl: { method: "txt", type: "dv" }, customOriginServer: "origin.example.com" },
        ],
      },
      replacedBy: ["scriptName", "accountId"],
    },
    {
      kind: "WorkerScript",
      provider: providers.WorkerScript,
      inputs: {
        scriptName: "every-input-router",
        routes: [{ pattern: "*.every.example.com/*" }, { pattern: "api.example.com/*" }],
        workersDev: true,
        customDomains: [
          { hostname: "every.example.com" },
          { hostname: "admin.example.com", zoneId: defaultZoneId(emu.accountId, "example.com") },
        ],
        ...worker,
      },
      replacedBy: ["scriptName", "accountId"],
    },
    {
      kind: "TenantFleet",
      provider: providers.TenantFleet,
      inputs: {
        namespace: TENANTS,
        namespaceId: tenants.namespace_id,
        // Every input a fleet's tenant takes: a Worker's, less credentials and what only a standalone script takes.
        defaults: Object.fromEntries(
          Object.entries(worker).filter(([key]) => !(key in credentials) && key !== "assets" && key !== "migrations"),
        ),
        tenants: {
          "every-input-fleet-a": {
            bindings: { TEXT: { type: "plain_text", text: "tenant a" } },
            tags: ["tenant-a"],
            limits: { cpuMs: 20 },
          },
          "every-input-fleet-b": {
            content: WORKER,
            compatibilityFlags: [],
            observability: { enabled: false },
            hostnames: [{ hostname: "shop.every-fleet-b.com", customMetadata: { tenant: "every-input-fleet-b" }, ssl: { method: "txt" } }],
          },
        },
        release: ["every-input-fleet-gone"],
        zoneId: defaultZoneId(emu.accountId, "example.com"),
        ...credentials,
      },
      replacedBy: ["namespace", "accountId"],
    },
    {
      kind: "CustomHostname",
      provider: providers.CustomHostname,
      inputs: {
        zoneId: defaultZoneId(emu.accountId, "example.com"),
        hostname: "shop.every-input.com",
        ssl: { method: "txt", type: "dv" },
        customMetadata: { tenant: "every-input-tenant", plan: "pro" },
        customOriginServer: "origin.example.com",
        ...credentials,
      },
      replacedBy: ["zoneId", "hostname", "accountId"],
    },
    {
      kind: "FallbackOrigin",
      provider: providers.FallbackOrigin,
      inputs: { zoneId: defaultZoneId(emu.accountId, "example.com"), origin: "fallback.example.com", ...credentials },
      replacedBy: ["zoneId", "accountId"],
    },
  ];
}

/** Every resource kind, by name: what the specs over all kinds iterate. */
export const KIND_NAMES = [
  "DispatchNamespace",
  "KVNamespace",
  "NamespacedWorkerScript",
  "WorkerScript",
  "TenantFleet",
  "CustomHostname",
  "FallbackOrigin",
] as const;

export interface CreatedState {
  id: string;
  news: Record<string, unknown>;
  outs: Record<string, unknown>;
}

/** A kind's case with every input, created in the emulator: the case and what state then holds. */
export async function createdCase(
  emu: Emulator,
  providers: Record<ResourceKind, pulumi.dynamic.ResourceProvider>,
  kind: string,
): Promise<{ c: KindCase; state: CreatedState }> {
  const c = (await everyInput(emu, providers)).find((k) => k.kind === kind)!;
  return { c, state: await createdState(c) };
}

/** What `check` then `create` leave in state for a case: its id, checked inputs and outputs. */
export async function createdState(c: KindCase): Promise<CreatedState> {
  const checked = await c.provider.check!({}, c.inputs);
  if (checked.failures?.length) throw new Error(`${c.kind}: ${JSON.stringify(checked.failures)}`);
  const news = checked.inputs as Record<string, unknown>;
  const { id, outs } = await c.provider.create(news);
  return { id, news, outs: outs as Record<string, unknown> };
}
