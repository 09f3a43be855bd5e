/**
 * Source of the two Workers the runtime adds to every Miniflare instance (both single ES modules, run with a
 * fixed compatibility date):
 *
 * - ENTRY (first worker, so `dispatchFetch` lands there): forwards a request to the account script named in
 *   the `TARGET_HEADER` header, through one service binding per account script; an account script with
 *   static assets gets them served first (`ASSET_SOURCE`, asked of the Node registry).
 * - INTERNAL: the runtime's bindings, exposed as `WorkerEntrypoint`s that account scripts reach through
 *   service bindings with `props` and tenants through `ctx.exports` stubs in their Loader `env`:
 *   `DispatchNamespace` (dispatch_namespace bindings: `get(name)` → a fetcher that loads the tenant through
 *   the Worker Loader, keyed by the registry's version key), `KvNamespace` (KV API over the Node registry)
 *   `Outbound` (a dispatch namespace's outbound Worker, via ENTRY) and `Assets` (the `assets` binding:
 *   `env.ASSETS.fetch(request)` answers from the script's own assets, with no Worker to fall through to).
 *   A tenant's own Durable Object classes run as facets of `TenantObject` (one object per tenant, Durable
 *   Object namespace and name, with its own storage; the namespace id outlives a rename of the class), reached through `DurableObjects` stubs; a generated main module gives the
 *   tenant a `DurableObjectNamespace`-shaped `env` binding over that stub (`idFromName`, `get`, RPC, `fetch`).
 */

export const ENTRY_WORKER = "__wfp_runtime_entry";
export const INTERNAL_WORKER = "__wfp_runtime_internal";
export const TARGET_HEADER = "x-wfp-runtime-target";
/** Set by `Outbound`: a tenant's subrequest reaches the outbound Worker's code, not its assets [INF]. */
const DIRECT_HEADER = "x-wfp-runtime-direct";
/** Compatibility date of the two internal Workers (clamped to what workerd supports). */
export const INTERNAL_COMPATIBILITY_DATE = "2025-06-01";

/**
 * One Worker's static assets in front of it, shared by ENTRY (account scripts), tenants' fetchers and the
 * `assets` binding: the registry answers with a response marked `ASSET`, or unmarked when the Worker runs.
 * `worker` false (the binding): no Worker to fall through to, and only GET and HEAD are served [INF: 405].
 */
const ASSET_SOURCE = `
const REGISTRY = "http://wfp-runtime.registry";
const ASSET = "x-wfp-asset";

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.set(k, String(v));
  return u.toString();
}

async function assetResponse(registry, script, request, worker) {
  const readOnly = request.method === "GET" || request.method === "HEAD";
  if (!readOnly) return worker ? undefined : new Response(null, { status: 405 });
  const query = qs({ namespace: script.namespace, name: script.name, url: request.url, worker: worker ? 1 : 0 });
  const answer = await registry.fetch(REGISTRY + "/asset?" + query, { redirect: "manual" });
  if (!answer.headers.has(ASSET)) {
    await answer.body?.cancel();
    return worker ? undefined : new Response(null, { status: 404 });
  }
  const headers = new Headers(answer.headers);
  headers.delete(ASSET);
  return new Response(request.method === "HEAD" ? null : answer.body, { status: answer.status, headers });
}
`;

export const ENTRY_SOURCE = `
const TARGET = ${JSON.stringify(TARGET_HEADER)};
const DIRECT = ${JSON.stringify(DIRECT_HEADER)};
${ASSET_SOURCE}
export default {
  async fetch(request, env) {
    const target = request.headers.get(TARGET);
    const binding = target === null ? undefined : env.TARGETS[target];
    if (binding === undefined) {
      return new Response("local runtime: no account script " + JSON.stringify(target) + "\\n", { status: 404 });
    }
    const headers = new Headers(request.headers);
    headers.delete(TARGET);
    const direct = headers.has(DIRECT);
    headers.delete(DIRECT);
    const forwarded = new Request(request, { headers });
    if (!direct && env.WITH_ASSETS.includes(target)) {
      const served = await assetResponse(env.REGISTRY, { name: target }, forwarded, true);
      if (served) return served;
    }
    return env[binding].fetch(forwarded);
  },
};
`;

/**
 * Inside a tenant that binds its own Durable Object classes: each binding becomes a namespace whose ids
 * are made locally (64 hex, stable per name) and whose stubs forward every call, `fetch` included, to the
 * internal worker's `DurableObjects` entrypoint.
 */
const NAMESPACE_SHIM = `
function hexOf(text) {
  let out = "";
  for (let seed = 0; seed < 4; seed++) {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    out += h.toString(16).padStart(8, "0");
  }
  return out + out;
}
class LocalObjectId {
  constructor(hex, name) { this.hex = hex; if (name !== undefined) this.name = name; }
  toString() { return this.hex; }
  equals(other) { return other instanceof LocalObjectId && other.hex === this.hex; }
}
function stubFor(objects, id) {
  return new Proxy({}, {
    get(_target, prop) {
      if (prop === "id") return id;
      if (prop === "name") return id.name;
      if (typeof prop !== "string" || prop === "then") return undefined;
      if (prop === "fetch") return (input, init) => objects.invoke(id.hex, "fetch", [new Request(input, init)]);
      return (...args) => objects.invoke(id.hex, prop, args);
    },
  });
}
function namespaceOf(objects) {
  return {
    idFromName(name) { return new LocalObjectId(hexOf(String(name)), String(name)); },
    newUniqueId() { return new LocalObjectId(crypto.randomUUID().replace(/-/g, "") + crypto.randomUUID().replace(/-/g, "")); },
    idFromString(hex) {
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError("Invalid Durable Object ID: must be 64 hex digits");
      return new LocalObjectId(hex);
    },
    get(id) { return stubFor(objects, id); },
    getByName(name) { return stubFor(objects, this.idFromName(name)); },
  };
}
`;

export const INTERNAL_SOURCE = `
import { WorkerEntrypoint, RpcTarget, DurableObject } from "cloudflare:workers";

const TARGET = ${JSON.stringify(TARGET_HEADER)};
const DIRECT = ${JSON.stringify(DIRECT_HEADER)};
const KV_METADATA = "x-wfp-kv-metadata";
${ASSET_SOURCE}
async function registryError(response) {
  return new Error("local runtime registry: " + response.status + " " + (await response.text()));
}

function toArrayBuffer(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

const DO_MAIN = "__wfp_durable_objects.js";
const NAMESPACE_SHIM = ${JSON.stringify(NAMESPACE_SHIM)};

/** The tenant's main module behind one that re-exports it (its classes) and wraps env's Durable Object bindings. */
function durableObjectMain(main, bindings) {
  const spec = JSON.stringify("./" + main);
  return [
    "import * as tenant from " + spec + ";",
    "export * from " + spec + ";",
    NAMESPACE_SHIM,
    "const BINDINGS = " + JSON.stringify(bindings) + ";",
    "function withNamespaces(env) { const out = { ...env }; for (const b of BINDINGS) out[b] = namespaceOf(env[b]); return out; }",
    "export default { fetch(request, env, ctx) { return tenant.default.fetch(request, withNamespaces(env), ctx); } };",
  ].join("\\n");
}

function workerCode(spec, exports, outbound, namespace, name) {
  const modules = {};
  for (const [name, m] of Object.entries(spec.modules)) {
    if ("data64" in m) modules[name] = { data: toArrayBuffer(m.data64) };
    else if ("wasm64" in m) modules[name] = { wasm: toArrayBuffer(m.wasm64) };
    else modules[name] = m;
  }
  const env = { ...spec.vars };
  for (const [binding, namespaceId] of Object.entries(spec.kv)) {
    env[binding] = exports.KvNamespace({ props: { namespaceId } });
  }
  for (const binding of spec.assets) env[binding] = exports.Assets({ props: { namespace, name } });
  const code = {
    compatibilityDate: spec.compatibilityDate,
    compatibilityFlags: spec.compatibilityFlags,
    mainModule: spec.mainModule,
    modules,
    env,
  };
  const objectBindings = Object.keys(spec.durableObjects ?? {});
  if (objectBindings.length > 0) {
    for (const binding of objectBindings) {
      const { className, namespaceId } = spec.durableObjects[binding];
      env[binding] = exports.DurableObjects({ props: { namespace, script: name, className, namespaceId } });
    }
    modules[DO_MAIN] = { js: durableObjectMain(spec.mainModule, objectBindings) };
    code.mainModule = DO_MAIN;
  }
  if (outbound) code.globalOutbound = exports.Outbound({ props: { script: outbound } });
  else if (spec.isolate) code.globalOutbound = null;
  return code;
}

async function tenantWorker(env, exports, namespace, name, outbound) {
  const current = await env.REGISTRY.fetch(REGISTRY + "/tenant?" + qs({ namespace, name }));
  if (current.status === 404) {
    await current.body?.cancel();
    throw new Error("Worker not found: " + JSON.stringify(name) + " in dispatch namespace " + JSON.stringify(namespace));
  }
  if (!current.ok) throw await registryError(current);
  const { key } = await current.json();
  const worker = env.LOADER.get(key + (outbound ? "|outbound=" + outbound : ""), async () => {
    const code = await env.REGISTRY.fetch(REGISTRY + "/tenant-code?" + qs({ namespace, name }));
    if (!code.ok) throw await registryError(code);
    return workerCode(await code.json(), exports, outbound, namespace, name);
  });
  return { key, worker };
}

async function loadTenant(env, exports, namespace, name, outbound) {
  return (await tenantWorker(env, exports, namespace, name, outbound)).worker.getEntrypoint();
}

/** What \`env.NS.get(name)\` returns: the tenant is looked up when it is called, as on Cloudflare. */
class TenantFetcher extends RpcTarget {
  #env; #exports; #namespace; #name; #outbound;
  constructor(env, exports, namespace, name, outbound) {
    super();
    this.#env = env; this.#exports = exports; this.#namespace = namespace; this.#name = name; this.#outbound = outbound;
  }
  async fetch(input, init) {
    const request = new Request(input, init);
    // Static assets answer before the tenant runs (unless its run_worker_first says otherwise).
    const served = await assetResponse(this.#env.REGISTRY, { namespace: this.#namespace, name: this.#name }, request, true);
    if (served) return served;
    const tenant = await loadTenant(this.#env, this.#exports, this.#namespace, this.#name, this.#outbound);
    return tenant.fetch(request);
  }
}

export class DispatchNamespace extends WorkerEntrypoint {
  get(name, args, options) {
    const { namespace, outbound } = this.ctx.props;
    return new TenantFetcher(this.env, this.ctx.exports, namespace, String(name), outbound);
  }
}

async function valueBytes(value) {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ReadableStream) return new Uint8Array(await new Response(value).arrayBuffer());
  throw new TypeError("KV put() accepts a string, ArrayBuffer, ArrayBufferView or ReadableStream");
}

async function decode(response, type) {
  switch (type) {
    case "json": return JSON.parse(await response.text());
    case "arrayBuffer": return await response.arrayBuffer();
    case "stream": return response.body;
    default: return await response.text();
  }
}

export class KvNamespace extends WorkerEntrypoint {
  #url(path, params) {
    return REGISTRY + path + "?" + qs({ namespace: this.ctx.props.namespaceId, ...params });
  }
  async getWithMetadata(key, options) {
    const type = typeof options === "string" ? options : options?.type ?? "text";
    const r = await this.env.REGISTRY.fetch(this.#url("/kv", { key }));
    if (r.status === 404) { await r.body?.cancel(); return { value: null, metadata: null, cacheStatus: null }; }
    if (!r.ok) throw await registryError(r);
    const metadata = JSON.parse(r.headers.get(KV_METADATA) ?? "null");
    return { value: await decode(r, type), metadata, cacheStatus: null };
  }
  async get(key, options) {
    return (await this.getWithMetadata(key, options)).value;
  }
  async put(key, value, options = {}) {
    const expiration = options.expiration ?? (options.expirationTtl ? Math.floor(Date.now() / 1000) + options.expirationTtl : undefined);
    const headers = options.metadata === undefined ? {} : { [KV_METADATA]: JSON.stringify(options.metadata) };
    const r = await this.env.REGISTRY.fetch(this.#url("/kv", { key, expiration }), { method: "PUT", headers, body: await valueBytes(value) });
    if (!r.ok) throw await registryError(r);
    await r.body?.cancel();
  }
  async delete(key) {
    const r = await this.env.REGISTRY.fetch(this.#url("/kv", { key }), { method: "DELETE" });
    if (!r.ok) throw await registryError(r);
    await r.body?.cancel();
  }
  async list(options = {}) {
    const r = await this.env.REGISTRY.fetch(this.#url("/kv-list", { prefix: options.prefix, limit: options.limit, cursor: options.cursor }));
    if (!r.ok) throw await registryError(r);
    const result = await r.json();
    return { ...result, cacheStatus: null };
  }
}

/**
 * A tenant's Durable Object binding: one TenantObject per (namespace, script, Durable Object namespace id,
 * object id). The id, not the class name, names the object, so a renamed class keeps its objects.
 */
export class DurableObjects extends WorkerEntrypoint {
  invoke(id, method, args) {
    const { namespace, script, className, namespaceId } = this.ctx.props;
    const objects = this.env.TENANT_OBJECTS;
    return objects.get(objects.idFromName(JSON.stringify([namespace, script, namespaceId, id]))).invoke(namespace, script, className, namespaceId, method, args);
  }
}

/**
 * Runs the tenant's current class as a facet named by the Durable Object namespace id (so its storage
 * survives a rename); a re-uploaded tenant restarts it on the new code.
 */
export class TenantObject extends DurableObject {
  #key;
  async invoke(namespace, script, className, namespaceId, method, args) {
    const { key, worker } = await tenantWorker(this.env, this.ctx.exports, namespace, script, undefined);
    if (this.#key !== undefined && this.#key !== key) this.ctx.facets.abort(namespaceId, new Error("the tenant was re-uploaded"));
    this.#key = key;
    const facet = this.ctx.facets.get(namespaceId, () => ({ class: worker.getDurableObjectClass(className) }));
    return facet[method](...args);
  }
}

/** A dispatch namespace's outbound Worker: tenants' subrequests go to that account script. */
export class Outbound extends WorkerEntrypoint {
  fetch(request) {
    const headers = new Headers(request.headers);
    headers.set(TARGET, this.ctx.props.script);
    headers.set(DIRECT, "1");
    return this.env.ENTRY.fetch(new Request(request, { headers }));
  }
}

/** The \`assets\` binding of a tenant (props: namespace, name) or an account script (props: name). */
export class Assets extends WorkerEntrypoint {
  fetch(input, init) {
    return assetResponse(this.env.REGISTRY, this.ctx.props, new Request(input, init), false);
  }
}

export default {
  fetch() {
    return new Response("local runtime internal worker\\n", { status: 404 });
  },
};
`;
