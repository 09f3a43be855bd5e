/**
 * How requests reach an account-level Worker: zone routes (`*.example.com/*` → script) and its
 * workers.dev subdomain. Cloudflare keeps both apart from the script upload, so they cost their own
 * calls, made only when they change.
 */
import * as routes from "../cloudflare/endpoints/routes";
import * as workersDev from "../cloudflare/endpoints/workers-dev";
import * as zones from "../cloudflare/endpoints/zones";
import { describeFailure, httpStatus, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { type Failures } from "../framework/check";
import { isUnknown, isUnknownValue } from "../framework/unknowns";

export interface WorkerRoute {
  /** Cloudflare's route pattern, e.g. `*.platform.example.com/*` (no scheme). */
  pattern: string;
  /** The zone the pattern's host belongs to (32 hex characters); found from the host when omitted. */
  zoneId?: string;
}

export interface TriggerInputs {
  routes?: WorkerRoute[];
  /** Serve the script on `<script>.<account subdomain>.workers.dev`. Left as Cloudflare has it when omitted. */
  workersDev?: boolean;
}

export interface TriggerOutputs {
  /** Cloudflare's route ids, by pattern. */
  routeIds?: Record<string, string>;
  /** The zone of each route, by pattern: where the route is deleted from. */
  routeZoneIds?: Record<string, string>;
}

/** A route Cloudflare has for this script. */
interface PlacedRoute {
  zoneId: string;
  id: string;
}

const ZONE_ID_THEN_PATTERN = /^([0-9a-f]{32}) (.+)$/;

/**
 * The routes state says exist, by pattern. State written by earlier versions keyed `routeIds` by
 * "<zoneId> <pattern>"; it is read here as well, so upgrading deletes and keeps the right routes.
 */
export function placedRoutes(outputs: TriggerOutputs | undefined): Map<string, PlacedRoute> {
  const placed = new Map<string, PlacedRoute>();
  for (const [key, id] of Object.entries(outputs?.routeIds ?? {})) {
    const zoneId = outputs?.routeZoneIds?.[key];
    const earlier = zoneId === undefined ? ZONE_ID_THEN_PATTERN.exec(key) : null;
    if (zoneId !== undefined) placed.set(key, { zoneId, id });
    else if (earlier) placed.set(earlier[2], { zoneId: earlier[1], id });
  }
  return placed;
}

const ZONE_ID = /^[0-9a-f]{32}$/;

export function checkTriggers(inputs: TriggerInputs, failures: Failures): void {
  const routes = inputs.routes as unknown;
  if (routes !== undefined && !isUnknown(routes)) {
    if (!Array.isArray(routes)) failures.add("routes", "routes must be a list of { pattern, zoneId }");
    else {
      const seen = new Set<string>();
      routes.forEach((route: Partial<WorkerRoute>, i) => {
        if (isUnknownValue(route)) return;
        if (route === null || typeof route !== "object") {
          failures.add("routes", `routes[${i}] must be an object like { pattern: "*.example.com/*" }`);
          return;
        }
        if (isUnknown(route.pattern)) {
          // known at `up`
        } else if (typeof route.pattern !== "string" || route.pattern === "" || /^[a-z]+:\/\//i.test(route.pattern)) {
          failures.add("routes", `routes[${i}].pattern must be a route pattern without a scheme, e.g. "*.example.com/*"`);
        }
        if (route?.zoneId !== undefined && !isUnknown(route.zoneId) && (typeof route.zoneId !== "string" || !ZONE_ID.test(route.zoneId))) {
          failures.add(
            "routes",
            `routes[${i}].zoneId must be a zone id (32 lowercase hexadecimal characters), or omitted to find the zone from the pattern`,
          );
        }
        if (isUnknown(route.pattern) || isUnknown(route.zoneId)) return; // two unknown patterns are not the same pattern
        const key = `${route.zoneId ?? ""} ${route.pattern}`;
        if (seen.has(key)) failures.add("routes", `routes[${i}]: the pattern '${route.pattern}' is listed twice`);
        seen.add(key);
      });
    }
  }
  failures.optionalBoolean(inputs as Record<string, unknown>, "workersDev");
}

/** Makes the script's routes and workers.dev flag match `news`, starting from `olds` (nothing on create). */
export async function applyTriggers(
  session: Session,
  scriptName: string,
  news: TriggerInputs,
  olds: (TriggerInputs & TriggerOutputs) | undefined,
): Promise<TriggerOutputs> {
  const current = placedRoutes(olds);
  const wanted = new Map<string, Required<WorkerRoute>>();
  for (const route of news.routes ?? []) {
    wanted.set(route.pattern, { pattern: route.pattern, zoneId: route.zoneId ?? (await zoneOfPattern(session, route.pattern)) });
  }
  for (const [pattern, placed] of current) {
    if (wanted.get(pattern)?.zoneId === placed.zoneId) continue;
    await deleteRoute(session, placed.zoneId, placed.id);
    current.delete(pattern);
  }
  for (const [pattern, route] of wanted) {
    if (!current.has(pattern)) current.set(pattern, { zoneId: route.zoneId, id: await createRoute(session, scriptName, route) });
  }
  if (news.workersDev !== undefined && news.workersDev !== olds?.workersDev) {
    try {
      await workersDev.set(session, scriptName, news.workersDev);
    } catch (error) {
      throw describeFailure(
        `${news.workersDev ? "enabling" : "disabling"} workers.dev for worker script '${scriptName}'`,
        error,
        "check the workersDev input",
      );
    }
  }
  const routeIds: Record<string, string> = {};
  const routeZoneIds: Record<string, string> = {};
  for (const [pattern, placed] of current) {
    routeIds[pattern] = placed.id;
    routeZoneIds[pattern] = placed.zoneId;
  }
  return { routeIds, routeZoneIds };
}

/**
 * What Cloudflare has now for the triggers the program declares, for `refresh`: the routes to this
 * script in the zones its routes live in (one list per zone), in the program's own shape, and
 * whether workers.dev is on (only when the program says). A route deleted outside Pulumi drops out,
 * so the next `up` creates it again; one added outside for this script appears, and is removed.
 */
export async function readTriggers(
  session: Session,
  scriptName: string,
  props: TriggerInputs & TriggerOutputs,
): Promise<TriggerInputs & TriggerOutputs> {
  const declared = new Map((props.routes ?? []).map((route) => [route.pattern, route]));
  const zoneIds = new Set([...placedRoutes(props).values()].map((placed) => placed.zoneId));
  for (const route of props.routes ?? []) if (route.zoneId) zoneIds.add(route.zoneId);
  const found: Array<{ pattern: string; zoneId: string; id: string }> = [];
  for (const zoneId of zoneIds) {
    try {
      for await (const route of routes.list(session, zoneId)) {
        if (route.script === scriptName) found.push({ pattern: route.pattern, zoneId, id: route.id });
      }
    } catch (error) {
      if (!isNotFound(error)) throw describeFailure(`reading the routes of zone ${zoneId}`, error);
    }
  }
  const position = new Map([...declared.keys()].map((pattern, i) => [pattern, i]));
  const order = (pattern: string) => position.get(pattern) ?? Number.MAX_SAFE_INTEGER;
  found.sort((a, b) => order(a.pattern) - order(b.pattern));
  // The program's own spelling: a route it declared without its zone stays without it.
  const spelled = (r: { pattern: string; zoneId: string }) => {
    const declaredRoute = declared.get(r.pattern);
    return declaredRoute && declaredRoute.zoneId === undefined ? { pattern: r.pattern } : { pattern: r.pattern, zoneId: r.zoneId };
  };
  const observed: TriggerInputs & TriggerOutputs = {
    ...props,
    routes: found.map(spelled),
    routeIds: Object.fromEntries(found.map((r) => [r.pattern, r.id])),
    routeZoneIds: Object.fromEntries(found.map((r) => [r.pattern, r.zoneId])),
  };
  if (props.routes === undefined && found.length === 0) delete observed.routes;
  if (props.workersDev !== undefined) {
    try {
      observed.workersDev = (await workersDev.get(session, scriptName)).enabled;
    } catch (error) {
      throw describeFailure(`reading workers.dev for worker script '${scriptName}'`, error);
    }
  }
  return observed;
}

/** Deletes the script's routes (before the script, so no route is left pointing nowhere). */
export async function removeTriggers(session: Session, outputs: TriggerOutputs): Promise<void> {
  for (const placed of placedRoutes(outputs).values()) await deleteRoute(session, placed.zoneId, placed.id);
}

/** The zone a pattern's host belongs to: the longest of its domain suffixes that is a zone of the account. */
async function zoneOfPattern(session: Session, pattern: string): Promise<string> {
  const host = pattern.split("/")[0].replace(/^\*\.?/, "");
  const labels = host.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join(".");
    try {
      for await (const zone of zones.list(session, name)) {
        if (zone.name === name) return zone.id;
      }
    } catch (error) {
      throw describeFailure(`finding the zone of route '${pattern}'`, error);
    }
  }
  throw new Error(
    `routes: no zone of account ${session.accountId} contains the host of '${pattern}'; add the zone to Cloudflare or give zoneId`,
  );
}

async function createRoute(session: Session, scriptName: string, route: Required<WorkerRoute>): Promise<string> {
  try {
    const created = await routes.create(session, route.zoneId, { pattern: route.pattern, script: scriptName });
    return created.id;
  } catch (error) {
    // A route of this pattern already exists (ours from an interrupted run, or a stale one): point it here.
    if (httpStatus(error) === 409) {
      for await (const existing of routes.list(session, route.zoneId)) {
        if (existing.pattern === route.pattern) {
          await routes.update(session, route.zoneId, existing.id, { pattern: route.pattern, script: scriptName });
          return existing.id;
        }
      }
    }
    throw describeFailure(
      `creating the route '${route.pattern}' to worker script '${scriptName}'`,
      error,
      "check the routes input (the pattern's host must belong to the zone)",
    );
  }
}

async function deleteRoute(session: Session, zoneId: string, id: string): Promise<void> {
  try {
    await routes.remove(session, zoneId, id);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`deleting route ${id} of zone ${zoneId}`, error);
  }
}
