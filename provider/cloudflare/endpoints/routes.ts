/** Zone routes to Workers (API docs, "Workers Routes"; SDK `workers.routes`). */
import type { RouteCreateResponse, RouteListResponse } from "cloudflare/resources/workers/routes";
import { zonePath } from "../api";
import type { AccountScope } from "./scope";

type Api = Pick<AccountScope, "api">;

/** GET /zones/{zone_id}/workers/routes: one page holds them all (SDK SinglePage). */
export function list(at: Api, zoneId: string): AsyncGenerator<RouteListResponse> {
  return at.api.pages<RouteListResponse>({ method: "GET", path: zonePath(zoneId, "workers", "routes") }, "single");
}

/** POST /zones/{zone_id}/workers/routes `{ pattern, script }`. */
export function create(at: Api, zoneId: string, route: { pattern: string; script: string }): Promise<RouteCreateResponse> {
  return at.api.call<RouteCreateResponse>({ method: "POST", path: zonePath(zoneId, "workers", "routes"), body: route });
}

/** PUT /zones/{zone_id}/workers/routes/{route_id} `{ pattern, script }`. */
export async function update(at: Api, zoneId: string, id: string, route: { pattern: string; script: string }): Promise<void> {
  await at.api.call({ method: "PUT", path: zonePath(zoneId, "workers", "routes", id), body: route });
}

/** DELETE /zones/{zone_id}/workers/routes/{route_id}. */
export async function remove(at: Api, zoneId: string, id: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: zonePath(zoneId, "workers", "routes", id) });
}
