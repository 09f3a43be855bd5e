/**
 * The Node side of the runtime's internal service binding (`REGISTRY`): workerd asks it, per dispatched
 * request, which version of a tenant is current (a key built from etag + configuration), for that version's
 * code when the Worker Loader has no isolate for the key, and for KV reads/writes. Plain data in and out so
 * it can be tested without workerd.
 */
import { createHash } from "node:crypto";
import { applyHeaders, headerRulesOf } from "./asset-rules";
import { routeAsset } from "./asset-routing";
import { planBindings, type DurableObjectPlan } from "./bindings";
import { clampCompatibilityDate } from "./compat";
import { loaderCode, type LoaderModule } from "./modules";
import type { RuntimeKv, RuntimeScript, RuntimeSource, RuntimeWarning } from "./types";

export const KV_METADATA_HEADER = "x-wfp-kv-metadata";
/** Marks a registry answer that is an asset response (served as is, without running the Worker). */
export const ASSET_HEADER = "x-wfp-asset";

export interface RegistryRequest {
  method: string;
  url: string;
  body?: Uint8Array;
  header(name: string): string | null;
}

export interface RegistryResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** What the internal worker hands to `LOADER.get(key, () => code)` (modules still base64 for binaries). */
export interface TenantCodeSpec {
  compatibilityDate: string;
  compatibilityFlags: string[];
  mainModule: string;
  modules: Record<string, LoaderModule>;
  /** Text and JSON bindings, as env values. */
  vars: Record<string, unknown>;
  /** binding → KV namespace id (the internal worker substitutes a KV entrypoint stub). */
  kv: Record<string, string>;
  /** `assets` bindings (the internal worker substitutes an `Assets` entrypoint stub). */
  assets: string[];
  /** binding → Durable Object class of the tenant and its namespace id (a facet of the internal worker's TenantObject). */
  durableObjects: Record<string, DurableObjectPlan>;
  /** true: `globalOutbound: null` (no network) unless the dispatch binding names an outbound Worker. */
  isolate: boolean;
}

export interface RegistryOptions {
  /** Newest compatibility date the local workerd accepts. */
  supportedDate: string;
  isolateTenants: boolean;
  warn(w: RuntimeWarning): void;
}

const json = (status: number, value: unknown): RegistryResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});
const text = (status: number, message: string): RegistryResponse => ({ status, headers: { "content-type": "text/plain" }, body: message });

/** Identity of a tenant version: code etag + everything in its configuration the isolate depends on. */
export function tenantKey(namespace: string, script: RuntimeScript, isolate: boolean): string {
  const config = JSON.stringify([
    script.mainModule,
    script.bindings,
    script.compatibilityDate,
    script.compatibilityFlags,
    isolate,
    script.durableObjectNamespaces ?? {},
  ]);
  const hash = createHash("sha256").update(config).digest("hex").slice(0, 16);
  return `${namespace}/${script.name}@${script.etag}#${hash}`;
}

export function tenantCode(script: RuntimeScript, options: RegistryOptions, scope: string): TenantCodeSpec {
  const warn = (message: string) => options.warn({ scope, script: script.name, message });
  const date = clampCompatibilityDate(script.compatibilityDate, options.supportedDate);
  if (date.warning) warn(date.warning);
  const plan = planBindings(script);
  plan.warnings.forEach(warn);
  for (const name of Object.keys(plan.services)) {
    warn(`binding '${name}' (service): service bindings of namespaced scripts are not supported locally; it is left out of env`);
  }
  for (const name of Object.keys(plan.dispatchNamespaces)) {
    warn(`binding '${name}' (dispatch_namespace): not supported for namespaced scripts locally; it is left out of env`);
  }
  for (const name of [...Object.keys(plan.wasm), ...Object.keys(plan.data)]) {
    warn(`binding '${name}': wasm_module/data_blob bindings of namespaced scripts are not supported locally; it is left out of env`);
  }
  return {
    compatibilityDate: date.date,
    compatibilityFlags: [...script.compatibilityFlags],
    ...loaderCode(script),
    vars: plan.vars,
    kv: plan.kv,
    assets: plan.assets,
    durableObjects: plan.durableObjects,
    isolate: options.isolateTenants,
  };
}

export class Registry {
  constructor(
    private readonly source: RuntimeSource,
    private readonly kv: RuntimeKv,
    private readonly options: RegistryOptions,
  ) {}

  async handle(req: RegistryRequest): Promise<RegistryResponse> {
    const url = new URL(req.url);
    const q = (name: string) => url.searchParams.get(name) ?? "";
    try {
      switch (url.pathname) {
        case "/tenant": {
          const script = this.source.namespaceScript(q("namespace"), q("name"));
          if (!script) return text(404, "not found");
          return json(200, { key: tenantKey(q("namespace"), script, this.options.isolateTenants) });
        }
        case "/tenant-code": {
          const script = this.source.namespaceScript(q("namespace"), q("name"));
          if (!script) return text(404, "not found");
          return json(200, tenantCode(script, this.options, `namespace/${q("namespace")}`));
        }
        case "/asset": {
          // A tenant (namespace given) or an account script; worker=0: the ASSETS binding, no Worker to fall through to.
          const script = url.searchParams.has("namespace")
            ? this.source.namespaceScript(q("namespace"), q("name"))
            : this.source.accountScript(q("name"));
          return script ? this.assetAnswer(script, new URL(q("url")), q("worker") !== "0") : { status: 204 }; // no such script: running it says so
        }
        case "/kv":
          return await this.kvOne(req.method, q("namespace"), q("key"), req);
        case "/kv-list": {
          const limit = url.searchParams.get("limit");
          const result = await this.kv.list(q("namespace"), {
            ...(url.searchParams.has("prefix") ? { prefix: q("prefix") } : {}),
            ...(limit ? { limit: Number(limit) } : {}),
            ...(q("cursor") ? { cursor: q("cursor") } : {}),
          });
          return json(200, result);
        }
        default:
          return text(404, `unknown registry path ${url.pathname}`);
      }
    } catch (e) {
      return text(500, e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * A script's asset answer for `url`, marked with ASSET_HEADER, with its `_headers` rules applied (to
   * every answer the assets give, redirects included, as wrangler's asset worker does); 204 (unmarked)
   * means "run the Worker".
   */
  private assetAnswer(script: RuntimeScript, url: URL, hasWorker: boolean): RegistryResponse {
    if (!script.assets) return { status: 204 };
    const files = new Set(Object.keys(script.assets.files));
    const route = routeAsset(files, script.assets.config, url, hasWorker);
    if (route.kind === "worker") return { status: 204 };
    const answer = (status: number, headers: Record<string, string>, body?: Uint8Array): RegistryResponse => {
      const rules = headerRulesOf(script.assets!.config._headers);
      return {
        status,
        headers: { ...(rules ? applyHeaders(rules, url, headers) : headers), [ASSET_HEADER]: "1" },
        ...(body ? { body } : {}),
      };
    };
    if (route.kind === "redirect") return answer(route.status, { location: route.location });
    const file = route.path === undefined ? undefined : this.source.asset?.(script.assets.files[route.path]);
    if (!file) return answer(404, {});
    const headers: Record<string, string> = {};
    if (file.contentType && file.contentType !== "application/null") headers["content-type"] = file.contentType;
    return answer(route.kind === "file" ? 200 : route.status, headers, file.bytes);
  }

  private async kvOne(method: string, namespace: string, key: string, req: RegistryRequest): Promise<RegistryResponse> {
    switch (method) {
      case "GET": {
        if (this.kv.getWithMetadata) {
          const hit = await this.kv.getWithMetadata(namespace, key);
          if (!hit) return text(404, "not found");
          return { status: 200, headers: { [KV_METADATA_HEADER]: JSON.stringify(hit.metadata ?? null) }, body: hit.value };
        }
        const value = await this.kv.get(namespace, key);
        if (!value) return text(404, "not found");
        return { status: 200, headers: { [KV_METADATA_HEADER]: "null" }, body: value };
      }
      case "PUT": {
        const meta = req.header(KV_METADATA_HEADER);
        const expiration = new URL(req.url).searchParams.get("expiration");
        await this.kv.put(namespace, key, req.body ?? new Uint8Array(), {
          ...(expiration ? { expiration: Number(expiration) } : {}),
          ...(meta ? { metadata: JSON.parse(meta) } : {}),
        });
        return text(200, "ok");
      }
      case "DELETE":
        await this.kv.delete(namespace, key);
        return text(200, "ok");
      default:
        return text(405, "method not allowed");
    }
  }
}
