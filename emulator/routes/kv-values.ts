/**
 * Workers KV key/value pairs, kept so a local runtime can later back `kv_namespace` bindings:
 *   PUT    …/kv/namespaces/:id/values/:key   raw body, or multipart `value` (+ optional JSON `metadata`);
 *                                           `?expiration=<epoch s>` / `?expiration_ttl=<s ≥ 60>` → `{}`
 *   GET    …/kv/namespaces/:id/values/:key   the raw bytes (application/octet-stream); 404 / 10009 when absent
 *   DELETE …/kv/namespaces/:id/values/:key   `{}` (absent keys too [INF])
 *   GET    …/kv/namespaces/:id/keys          `[{ name, expiration?, metadata? }]`, `?prefix`, cursor pagination
 */
import { requestHeader, type RequestContext } from "../context";
import { cursorLimit, cursorPage } from "../cursor";
import { errors, ok, okRaw, type ApiResult } from "../envelope";
import { findEntry, liveEntries, putEntry, removeEntry, type KvEntryRecord } from "../kv/records";
import type { RouteDefinition } from "../router";
import { readMultipart } from "../workers/upload";
import { KV_NAMESPACES, requireKvNamespace } from "./kv-namespaces";

const VALUE = `${KV_NAMESPACES}/:namespaceId/values/:key`;

/** [CF-DOCS] Keys list page size: default and maximum 1000, minimum 10. */
const KEYS_LIMIT = { max: 1000, min: 10 };
/** [CF-DOCS] Shortest allowed `expiration_ttl`, seconds. */
const MIN_TTL_SECONDS = 60;

function putValue(ctx: RequestContext): ApiResult {
  const ns = requireKvNamespace(ctx);
  const entry: KvEntryRecord = { name: ctx.params.key, ...readValue(ctx) };
  const expiration = readExpiration(ctx);
  if (expiration !== undefined) entry.expiration = expiration;
  ctx.state.mutate(() => putEntry(ns, entry));
  return ok({});
}

/** The value (and metadata) of a PUT: multipart `value` + `metadata` parts, or the raw body. */
function readValue(ctx: RequestContext): Pick<KvEntryRecord, "value_base64" | "metadata"> {
  const parts = readMultipart({ contentType: requestHeader(ctx, "content-type"), body: ctx.rawBody });
  if (!parts) return { value_base64: ctx.rawBody.toString("base64") };
  const value = parts.find((p) => p.name === "value");
  if (!value) throw errors.invalidRequestBody("a multipart KV write needs a part named 'value'");
  const out: Pick<KvEntryRecord, "value_base64" | "metadata"> = { value_base64: value.body.toString("base64") };
  const metadata = parts.find((p) => p.name === "metadata");
  if (metadata) {
    try {
      out.metadata = JSON.parse(metadata.body.toString("utf8"));
    } catch {
      throw errors.invalidRequestBody("the 'metadata' part must hold JSON");
    }
  }
  return out;
}

/** Absolute expiry in epoch seconds from `expiration` or `expiration_ttl`; 400 / 10021 [INF] when invalid. */
function readExpiration(ctx: RequestContext): number | undefined {
  const now = Math.floor(Date.now() / 1000);
  const ttl = ctx.query.get("expiration_ttl");
  const at = ctx.query.get("expiration");
  if (ttl !== null && ttl !== "") {
    if (!/^\d+$/.test(ttl) || Number(ttl) < MIN_TTL_SECONDS) {
      throw errors.invalidQuery(`Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${MIN_TTL_SECONDS}.`);
    }
    return now + Number(ttl);
  }
  if (at !== null && at !== "") {
    if (!/^\d+$/.test(at) || Number(at) < now + MIN_TTL_SECONDS) {
      throw errors.invalidQuery(`Invalid expiration of ${at}. Expiration times must be at least ${MIN_TTL_SECONDS} seconds in the future.`);
    }
    return Number(at);
  }
  return undefined;
}

function getValue(ctx: RequestContext): ApiResult {
  const entry = findEntry(requireKvNamespace(ctx), ctx.params.key);
  if (!entry) throw errors.kvKeyNotFound();
  return okRaw(Buffer.from(entry.value_base64, "base64"), "application/octet-stream");
}

function deleteValue(ctx: RequestContext): ApiResult {
  const ns = requireKvNamespace(ctx);
  ctx.state.mutate(() => removeEntry(ns, ctx.params.key));
  return ok({});
}

function listKeys(ctx: RequestContext): ApiResult {
  const ns = requireKvNamespace(ctx);
  const prefix = ctx.query.get("prefix") ?? "";
  const limit = cursorLimit(ctx.query.get("limit"), KEYS_LIMIT);
  const matching = liveEntries(ns).filter((e) => e.name.startsWith(prefix));
  const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const page = cursorPage(matching, (e) => e.name, ctx.query.get("cursor"), limit, byteOrder);
  const keys = page.items.map((e) => {
    const key: Record<string, unknown> = { name: e.name };
    if (e.expiration !== undefined) key.expiration = e.expiration;
    if (e.metadata !== undefined) key.metadata = structuredClone(e.metadata);
    return key;
  });
  return ok(keys, { count: keys.length, cursor: page.cursor });
}

export const kvValueRoutes: RouteDefinition[] = [
  { method: "PUT", pattern: VALUE, handler: putValue },
  { method: "GET", pattern: VALUE, handler: getValue },
  { method: "DELETE", pattern: VALUE, handler: deleteValue },
  { method: "GET", pattern: `${KV_NAMESPACES}/:namespaceId/keys`, handler: listKeys },
];
