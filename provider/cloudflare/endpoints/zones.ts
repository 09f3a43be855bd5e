/** Zones (API docs, "Zones"; SDK `zones`). */
import type { Zone } from "cloudflare/resources/zones/zones";
import { zonePath } from "../api";
import type { AccountScope } from "./scope";

/** GET /zones/{zone_id}. */
export function get(at: Pick<AccountScope, "api">, zoneId: string): Promise<Zone> {
  return at.api.call<Zone>({ method: "GET", path: zonePath(zoneId) });
}

/** GET /zones?account.id=…[&name=…], page by page (SDK `zones.list`: V4PagePaginationArray, nested query keys joined by dots). */
export function list(at: AccountScope, name?: string): AsyncGenerator<Zone> {
  return at.api.pages<Zone>({ method: "GET", path: "/zones", query: { name, "account.id": at.accountId } }, "page");
}
