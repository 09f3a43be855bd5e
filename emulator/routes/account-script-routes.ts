/**
 * The routes of one account-level Worker across the account's zones (SOURCES.md §5.6):
 *   PUT  /accounts/:a/workers/scripts/:script/routes   `[{ pattern, zone_name? | zone_id? }]` replaces every route
 *                                                      of the Worker ("PUT will delete previous routes on this script")
 *   GET  /accounts/:a/workers/scripts/:script/routes   the Worker's routes
 * The routes are the zones' own (`/zones/:z/workers/routes` sees them), so the edge serves them as any other.
 */
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { randomHex32 } from "../ids";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";
import { validateRoutePattern } from "../zones/route-patterns";
import type { RouteRecord, ZoneRecord } from "../zones/zones";
import { accountHost, requireScript } from "./script-host";

interface WantedRoute {
  pattern: string;
  zone: ZoneRecord;
}

function scriptRouteView(zone: ZoneRecord, r: RouteRecord) {
  return { id: r.id, pattern: r.pattern, script: r.script, zone_id: zone.id, zone_name: zone.name };
}

/** The pattern's host without scheme, port or path (`*.a.example.com/x*` → `*.a.example.com`). */
function hostOf(pattern: string): string {
  return pattern
    .replace(/^https?:\/\//i, "")
    .split("/")[0]
    .split(":")[0]
    .toLowerCase();
}

/**
 * The zone a route belongs to: `zone_id`, else `zone_name`, else the account zone whose name is the longest
 * suffix of the pattern's host (what wrangler itself does for a bare pattern, `getZoneForRoute`) [INF that the API does too].
 */
function zoneFor(account: AccountRecord, entry: Record<string, unknown>, i: number): ZoneRecord {
  const { zone_id: zoneId, zone_name: zoneName, pattern } = entry;
  if (zoneId !== undefined) {
    const zone = account.zones.find((z) => z.id === zoneId);
    if (!zone) throw errors.invalidRoutePattern(`routes[${i}]: zone_id '${String(zoneId)}' is not a zone of this account`);
    return zone;
  }
  if (zoneName !== undefined) {
    const zone = account.zones.find((z) => z.name === zoneName);
    if (!zone) throw errors.invalidRoutePattern(`routes[${i}]: zone_name '${String(zoneName)}' is not a zone of this account`);
    return zone;
  }
  const host = hostOf(pattern as string).replace(/^\*\.?/, "");
  const matches = account.zones.filter((z) => host === z.name || host.endsWith(`.${z.name}`));
  if (matches.length === 0) throw errors.invalidRoutePattern(`routes[${i}]: no zone of this account contains '${String(pattern)}'`);
  return matches.reduce((a, b) => (b.name.length > a.name.length ? b : a));
}

/** Validates the whole body before anything changes (all or nothing). */
function readRoutes(ctx: RequestContext, account: AccountRecord, script: string): WantedRoute[] {
  const body = ctx.json();
  if (!Array.isArray(body)) throw errors.invalidRequestBody("expected a JSON array of { pattern, zone_name?, zone_id? }");
  const wanted = body.map((raw, i): WantedRoute => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    if (typeof raw !== "object" || typeof entry.pattern !== "string" || entry.pattern === "") {
      throw errors.invalidRequestBody(`routes[${i}].pattern must be a non-empty string`);
    }
    // Custom Domains are a different product (wrangler sends them to /workers/domains/records); the emulator has none.
    if (entry.custom_domain === true) throw errors.invalidRequestBody(`routes[${i}]: Custom Domains are not emulated`);
    const zone = zoneFor(account, entry, i);
    validateRoutePattern(entry.pattern, zone.name);
    const taken = zone.routes.find((r) => r.pattern === entry.pattern && r.script !== script);
    if (taken) throw errors.duplicateRoute();
    return { pattern: entry.pattern, zone };
  });
  const seen = new Set(wanted.map((w) => `${w.zone.id} ${w.pattern}`));
  if (seen.size !== wanted.length) throw errors.duplicateRoute();
  return wanted;
}

function putRoutes(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  const wanted = readRoutes(ctx, account, script.name);
  const created = ctx.state.mutate(() => {
    for (const zone of account.zones) zone.routes = zone.routes.filter((r) => r.script !== script.name);
    return wanted.map(({ pattern, zone }) => {
      const route: RouteRecord = { id: randomHex32(), pattern, script: script.name };
      zone.routes.push(route);
      return scriptRouteView(zone, route);
    });
  });
  return ok(created);
}

function listRoutes(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  return ok(account.zones.flatMap((zone) => zone.routes.filter((r) => r.script === script.name).map((r) => scriptRouteView(zone, r))));
}

export const accountScriptRouteRoutes: RouteDefinition[] = [
  { method: "PUT", pattern: `${accountHost.scriptPath}/routes`, handler: putRoutes },
  { method: "GET", pattern: `${accountHost.scriptPath}/routes`, handler: listRoutes },
];
