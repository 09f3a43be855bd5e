/**
 * Workers custom domains (SOURCES.md §5.8), `/accounts/:a/workers/domains`:
 *   PUT     /workers/domains       attach `{ hostname, service, zone_id?, zone_name?, environment? }` (upsert by hostname)
 *   GET     /workers/domains       list (one page), filtered by `hostname`, `service`, `zone_id`, `zone_name`, `environment`
 *   GET     /workers/domains/:id   one domain
 *   DELETE  /workers/domains/:id   detach
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { randomHex32 } from "../ids";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";
import { findScript } from "../workers/store";
import { isHostname, isInZone, type WorkerDomainRecord } from "../zones/worker-domains";
import type { ZoneRecord } from "../zones/zones";

const DOMAINS = "/accounts/:accountId/workers/domains";
const FILTERS = ["hostname", "service", "zone_id", "zone_name", "environment"] as const;

function account(ctx: RequestContext): AccountRecord {
  return ctx.state.getAccount(ctx.params.accountId)!;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw errors.invalidRequestBody(`'${field}' must be a non-empty string`);
  return value;
}

/** The zone the domain is in: by id, else by name, else the longest zone name the hostname ends with. */
function zoneFor(a: AccountRecord, hostname: string, zoneId: string | undefined, zoneName: string | undefined): ZoneRecord {
  if (zoneId !== undefined) {
    const zone = a.zones.find((z) => z.id === zoneId);
    if (!zone) throw errors.workerDomainZoneNotFound(zoneId);
    if (zoneName !== undefined && zone.name !== zoneName) throw errors.workerDomainZoneNotFound(zoneName);
    return zone;
  }
  if (zoneName !== undefined) {
    const zone = a.zones.find((z) => z.name === zoneName);
    if (!zone) throw errors.workerDomainZoneNotFound(zoneName);
    return zone;
  }
  const candidates = a.zones.filter((z) => isInZone(hostname, z.name)).sort((x, y) => y.name.length - x.name.length);
  if (candidates.length === 0) throw errors.workerDomainZoneNotInferred(hostname);
  return candidates[0];
}

function attach(ctx: RequestContext): ApiResult {
  const a = account(ctx);
  const body = jsonObjectBody(ctx);
  const hostname = optionalString(body, "hostname");
  const service = optionalString(body, "service");
  if (hostname === undefined) throw errors.invalidRequestBody("'hostname' is required");
  if (service === undefined) throw errors.invalidRequestBody("'service' is required");
  if (!isHostname(hostname)) throw errors.invalidWorkerDomainHostname(hostname);
  const zone = zoneFor(a, hostname, optionalString(body, "zone_id"), optionalString(body, "zone_name"));
  if (!isInZone(hostname, zone.name)) throw errors.workerDomainOutsideZone(hostname, zone.name);
  if (!findScript(a.scripts, service)) throw errors.scriptNotFound();
  const environment = optionalString(body, "environment") ?? "production";
  const existing = a.workerDomains.find((d) => d.hostname === hostname);
  const record: WorkerDomainRecord = {
    id: existing?.id ?? randomHex32(),
    hostname,
    service,
    zone_id: zone.id,
    zone_name: zone.name,
    environment,
    cert_id: existing?.cert_id ?? randomHex32(),
  };
  ctx.state.mutate(() => {
    if (existing) Object.assign(existing, record);
    else a.workerDomains.push(record);
  });
  return ok({ ...record });
}

function list(ctx: RequestContext): ApiResult {
  const wanted = FILTERS.flatMap((f) => (ctx.query.has(f) ? [[f, ctx.query.get(f)] as const] : []));
  return ok(
    account(ctx)
      .workerDomains.filter((d) => wanted.every(([f, v]) => d[f] === v))
      .map((d) => ({ ...d })),
  );
}

function requireDomain(ctx: RequestContext): WorkerDomainRecord {
  const domain = account(ctx).workerDomains.find((d) => d.id === ctx.params.domainId);
  if (!domain) throw errors.workerDomainNotFound();
  return domain;
}

function detach(ctx: RequestContext): ApiResult {
  const a = account(ctx);
  const domain = requireDomain(ctx);
  ctx.state.mutate(() => {
    a.workerDomains = a.workerDomains.filter((d) => d !== domain);
  });
  return ok(null);
}

export const workerDomainRoutes: RouteDefinition[] = [
  { method: "PUT", pattern: DOMAINS, handler: attach },
  { method: "GET", pattern: DOMAINS, handler: list },
  { method: "GET", pattern: `${DOMAINS}/:domainId`, handler: (ctx) => ok({ ...requireDomain(ctx) }) },
  { method: "DELETE", pattern: `${DOMAINS}/:domainId`, handler: detach },
];
