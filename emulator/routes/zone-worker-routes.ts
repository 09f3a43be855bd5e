/**
 * Worker routes of a zone, `{ id, pattern, script? }` (SOURCES.md §5.3):
 *   POST|GET /zones/:zoneId/workers/routes           create / list (one page)
 *   GET|PUT|DELETE /zones/:zoneId/workers/routes/:id  read / replace / delete (→ `{ id }`)
 * The pattern must lie in the zone (400 / 10022) and be unique in it (409 / 10020); an unknown zone or
 * route is 404 / 10005. The script need not exist — Cloudflare accepts routes to Workers deployed later.
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { randomHex32 } from "../ids";
import type { RouteDefinition } from "../router";
import { validateRoutePattern } from "../zones/route-patterns";
import type { RouteRecord, ZoneRecord } from "../zones/zones";
import { requireZone } from "./zones";

const ROUTES = "/zones/:zoneId/workers/routes";

function zoneOf(ctx: RequestContext): ZoneRecord {
  return requireZone(ctx, errors.workersNotFound).zone;
}

function requireRoute(zone: ZoneRecord, id: string): RouteRecord {
  const route = zone.routes.find((r) => r.id === id);
  if (!route) throw errors.workersNotFound();
  return route;
}

/** `{ pattern, script? }` validated against the zone; `except` is the route being replaced (its own pattern is no duplicate). */
function readRoute(ctx: RequestContext, zone: ZoneRecord, except?: RouteRecord): Omit<RouteRecord, "id"> {
  const body = jsonObjectBody(ctx);
  if (typeof body.pattern !== "string" || body.pattern === "") throw errors.invalidRequestBody("'pattern' must be a non-empty string");
  if (body.script !== undefined && body.script !== null && typeof body.script !== "string") {
    throw errors.invalidRequestBody("'script' must be a string");
  }
  validateRoutePattern(body.pattern, zone.name);
  if (zone.routes.some((r) => r !== except && r.pattern === body.pattern)) throw errors.duplicateRoute();
  // No script (or "") = a placeholder route that runs no Worker.
  return body.script ? { pattern: body.pattern, script: body.script } : { pattern: body.pattern };
}

function routeView(r: RouteRecord) {
  return r.script === undefined ? { id: r.id, pattern: r.pattern } : { id: r.id, pattern: r.pattern, script: r.script };
}

function createRoute(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const route: RouteRecord = { id: randomHex32(), ...readRoute(ctx, zone) };
  ctx.state.mutate(() => zone.routes.push(route));
  return ok(routeView(route));
}

function updateRoute(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const route = requireRoute(zone, ctx.params.routeId);
  const next = readRoute(ctx, zone, route);
  ctx.state.mutate(() => {
    route.pattern = next.pattern;
    if (next.script === undefined) delete route.script;
    else route.script = next.script;
  });
  return ok(routeView(route));
}

function deleteRoute(ctx: RequestContext): ApiResult {
  const zone = zoneOf(ctx);
  const route = requireRoute(zone, ctx.params.routeId);
  ctx.state.mutate(() => {
    zone.routes = zone.routes.filter((r) => r !== route);
  });
  return ok({ id: route.id });
}

export const zoneWorkerRoutes: RouteDefinition[] = [
  { method: "POST", pattern: ROUTES, handler: createRoute },
  { method: "GET", pattern: ROUTES, handler: (ctx) => ok(zoneOf(ctx).routes.map(routeView)) },
  { method: "GET", pattern: `${ROUTES}/:routeId`, handler: (ctx) => ok(routeView(requireRoute(zoneOf(ctx), ctx.params.routeId))) },
  { method: "PUT", pattern: `${ROUTES}/:routeId`, handler: updateRoute },
  { method: "DELETE", pattern: `${ROUTES}/:routeId`, handler: deleteRoute },
];
