/**
 * Custom hostnames and the fallback origin of a zone (Cloudflare for SaaS, SOURCES.md §5.10):
 *   POST|GET  /zones/:zoneId/custom_hostnames            create `{ hostname, ssl?, custom_metadata?, custom_origin_server?,
 *                                                        custom_origin_sni? }` / list (paged; `id`, `hostname`, `hostname_status`,
 *                                                        `ssl_status` filters; `order`, `direction`)
 *   GET|PATCH|DELETE  …/custom_hostnames/:id             read / edit (metadata, origin, ssl method) / delete (→ `{ id }`)
 *   GET|PUT|DELETE    …/custom_hostnames/fallback_origin the zone's fallback origin `{ origin }`
 * A new hostname is pending with its certificate pending validation; the control endpoint
 * `POST /__emulator/custom-hostnames/advance` moves it along (zones/custom-hostnames.ts).
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, okRaw, type ApiResult } from "../envelope";
import { cfTimestamp } from "../ids";
import { pagedResult, sortedByQuery } from "../pagination";
import type { RouteDefinition } from "../router";
import {
  type CustomHostnameRecord,
  type DcvMethod,
  type FallbackOriginRecord,
  customHostnameView,
  isCustomHostname,
  newCustomHostname,
} from "../zones/custom-hostnames";
import { isHostname, isInZone } from "../zones/worker-domains";
import type { ZoneRecord } from "../zones/zones";
import { requireZone } from "./zones";

const HOSTNAMES = "/zones/:zoneId/custom_hostnames";
const FALLBACK = `${HOSTNAMES}/fallback_origin`;
const DCV_METHODS: readonly DcvMethod[] = ["http", "txt", "email"];
/** [INF] Pages of the custom hostname list: 20 by default, 5 to 50, like the zone list. */
const PAGES = { defaultPerPage: 20, maxPerPage: 50, minPerPage: 5 };

function zoneOf(ctx: RequestContext): ZoneRecord {
  return requireZone(ctx).zone;
}

function hostnamesOf(zone: ZoneRecord): CustomHostnameRecord[] {
  return zone.customHostnames ?? [];
}

function requireHostname(ctx: RequestContext, zone: ZoneRecord): CustomHostnameRecord {
  const found = hostnamesOf(zone).find((h) => h.id === ctx.params.hostnameId);
  if (!found) throw errors.customHostnameNotFound();
  return found;
}

function optionalHostField(body: Record<string, unknown>, field: "custom_origin_server" | "custom_origin_sni"): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || (field === "custom_origin_server" && !isHostname(value))) {
    throw errors.invalidRequestBody(`'${field}' must be a hostname`);
  }
  return value;
}

/** SDK: `custom_metadata` is `{ [key: string]: string }`. */
function metadataOf(body: Record<string, unknown>): Record<string, string> | undefined {
  const value = body.custom_metadata;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw errors.invalidRequestBody("'custom_metadata' must be an object of string values");
  }
  return { ...(value as Record<string, string>) };
}

/** `ssl.method` (SDK `DCVMethod`; [INF] http when omitted, the method the SDK recommends) and `ssl.type`, which must be `dv`. */
function dcvMethodOf(body: Record<string, unknown>, current?: DcvMethod): DcvMethod {
  const ssl = body.ssl;
  if (ssl === undefined || ssl === null) return current ?? "http";
  if (typeof ssl !== "object" || Array.isArray(ssl)) throw errors.invalidRequestBody("'ssl' must be an object");
  const { method, type } = ssl as { method?: unknown; type?: unknown };
  if (type !== undefined && type !== "dv") throw errors.invalidRequestBody("'ssl.type' must be 'dv' (domain validation)");
  if (method === undefined) return current ?? "http";
  if (!DCV_METHODS.includes(method as DcvMethod)) throw errors.invalidRequestBody(`'ssl.method' must be one of ${DCV_METHODS.join(", ")}`);
  return method as DcvMethod;
}

function createHostname(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const body = jsonObjectBody(ctx);
  if (typeof body.hostname !== "string" || body.hostname === "") throw errors.invalidRequestBody("'hostname' is required");
  const hostname = body.hostname.toLowerCase();
  if (!isCustomHostname(hostname))
    throw errors.invalidCustomHostname(hostname, "give a hostname such as shop.customer.com, without scheme, path or port");
  if (hostname === zone.name) throw errors.invalidCustomHostname(hostname, "the zone's own name cannot be a custom hostname of it");
  if (hostnamesOf(zone).some((h) => h.hostname === hostname)) throw errors.duplicateCustomHostname();
  const metadata = metadataOf(body);
  const origin = optionalHostField(body, "custom_origin_server");
  const sni = optionalHostField(body, "custom_origin_sni");
  const record = newCustomHostname(
    hostname,
    {
      ...(metadata ? { custom_metadata: metadata } : {}),
      ...(origin ? { custom_origin_server: origin } : {}),
      ...(sni ? { custom_origin_sni: sni } : {}),
    },
    dcvMethodOf(body),
  );
  ctx.state.mutate(() => (zone.customHostnames ??= []).push(record));
  return ok(customHostnameView(record));
}

/** `hostname`, or the SDK's nested `hostname[exact|contain|startsWith]` (also with dots). */
function hostnameFilter(query: URLSearchParams): ((hostname: string) => boolean) | undefined {
  const read = (field: string) => query.get(`hostname[${field}]`) ?? query.get(`hostname.${field}`);
  const exact = query.get("hostname") ?? read("exact");
  if (exact !== null) return (h) => h === exact.toLowerCase();
  const contain = read("contain");
  if (contain !== null) return (h) => h.includes(contain.toLowerCase());
  const prefix = read("startsWith");
  if (prefix !== null) return (h) => h.startsWith(prefix.toLowerCase());
  return undefined;
}

function listHostnames(ctx: RequestContext): ApiResult {
  const q = ctx.query;
  let found = hostnamesOf(zoneOf(ctx));
  const id = q.get("id");
  if (id !== null) found = found.filter((h) => h.id === id);
  const byName = hostnameFilter(q);
  if (byName) found = found.filter((h) => byName(h.hostname));
  const status = q.get("hostname_status");
  if (status !== null) found = found.filter((h) => h.status === status);
  const sslStatus = q.get("ssl_status");
  if (sslStatus !== null) found = found.filter((h) => h.ssl.status === sslStatus);
  const order = q.get("order");
  const sorted =
    order === "ssl" || order === "ssl_status"
      ? sortedByQuery(found, q.get("direction") ?? "asc", (h) => h.ssl.status)
      : sortedByQuery(found, q.get("direction"), (h) => h.hostname);
  return pagedResult(sorted.map(customHostnameView), q, PAGES);
}

/** PATCH: the fields sent replace the stored ones ([INF] an empty `custom_metadata` clears it); a new DCV method restarts validation. */
function editHostname(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const record = requireHostname(ctx, zone);
  const body = jsonObjectBody(ctx);
  const metadata = metadataOf(body);
  const origin = "custom_origin_server" in body ? optionalHostField(body, "custom_origin_server") : record.custom_origin_server;
  const sni = "custom_origin_sni" in body ? optionalHostField(body, "custom_origin_sni") : record.custom_origin_sni;
  const method = dcvMethodOf(body, record.ssl.method);
  ctx.state.mutate(() => {
    if (metadata !== undefined) {
      if (Object.keys(metadata).length) record.custom_metadata = metadata;
      else delete record.custom_metadata;
    }
    if (origin === undefined) delete record.custom_origin_server;
    else record.custom_origin_server = origin;
    if (sni === undefined) delete record.custom_origin_sni;
    else record.custom_origin_sni = sni;
    if (method !== record.ssl.method && record.ssl.status !== "active")
      record.ssl = { ...record.ssl, method, status: "pending_validation" };
  });
  return ok(customHostnameView(record));
}

/** SDK: `customHostnames.delete` is not unwrapped: Cloudflare answers `{ id }` itself, not an envelope. */
function deleteHostname(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const record = requireHostname(ctx, zone);
  ctx.state.mutate(() => {
    zone.customHostnames = hostnamesOf(zone).filter((h) => h !== record);
  });
  return okRaw(Buffer.from(JSON.stringify({ id: record.id })), "application/json");
}

function fallbackView(f: FallbackOriginRecord, status: string = f.status) {
  return { origin: f.origin, status, errors: [...f.errors], created_at: f.created_at, updated_at: f.updated_at };
}

function requireFallback(zone: ZoneRecord): FallbackOriginRecord {
  if (!zone.fallbackOrigin) throw errors.fallbackOriginNotFound();
  return zone.fallbackOrigin;
}

/** [INF] The origin is active at once (Cloudflare deploys it within moments; no step of it is observable here). */
function putFallback(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const body = jsonObjectBody(ctx);
  if (typeof body.origin !== "string" || body.origin === "") throw errors.invalidRequestBody("'origin' is required");
  const origin = body.origin.toLowerCase();
  if (!isHostname(origin) || !isInZone(origin, zone.name)) throw errors.invalidFallbackOrigin(origin, zone.name);
  const now = cfTimestamp();
  const record: FallbackOriginRecord = {
    origin,
    status: "active",
    errors: [],
    created_at: zone.fallbackOrigin?.created_at ?? now,
    updated_at: now,
  };
  ctx.state.mutate(() => {
    zone.fallbackOrigin = record;
  });
  return ok(fallbackView(record));
}

/** [INF] Answers the origin as `pending_deletion` (SDK status) and forgets it at once. */
function deleteFallback(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const record = requireFallback(zone);
  ctx.state.mutate(() => {
    delete zone.fallbackOrigin;
  });
  return ok(fallbackView(record, "pending_deletion"));
}

export const customHostnameRoutes: RouteDefinition[] = [
  { method: "POST", pattern: HOSTNAMES, handler: createHostname },
  { method: "GET", pattern: HOSTNAMES, handler: listHostnames },
  { method: "GET", pattern: FALLBACK, handler: (ctx) => ok(fallbackView(requireFallback(zoneOf(ctx)))) },
  { method: "PUT", pattern: FALLBACK, handler: putFallback },
  { method: "DELETE", pattern: FALLBACK, handler: deleteFallback },
  { method: "GET", pattern: `${HOSTNAMES}/:hostnameId`, handler: (ctx) => ok(customHostnameView(requireHostname(ctx, zoneOf(ctx)))) },
  { method: "PATCH", pattern: `${HOSTNAMES}/:hostnameId`, handler: editHostname },
  { method: "DELETE", pattern: `${HOSTNAMES}/:hostnameId`, handler: deleteHostname },
];
