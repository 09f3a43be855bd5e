/**
 * Zones (read-only: they are configured, see zones/zones.ts):
 *   GET /zones            page-number pagination; filters `name` (with Cloudflare's operators such as
 *                         `contains:`), `account.id`, `account.name`, `status`; `order`/`direction`
 *   GET /zones/:zoneId    one zone; 404 when no zone has the id
 * Only zones of accounts the credential can see are listed; a zone of another account is 403 / 10000,
 * like an account the credential cannot see.
 */
import { canSeeAccount } from "../auth";
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { pagedResult, sortedByQuery } from "../pagination";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";
import type { ZoneRecord } from "../zones/zones";

/** [INF] Cloudflare's zone list: 20 per page by default, 5 to 50. */
const ZONE_PAGES = { defaultPerPage: 20, maxPerPage: 50, minPerPage: 5 };

/** A plan object of the Free plan, the same for every emulated zone. */
const FREE_PLAN = {
  id: "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
  name: "Free Website",
  price: 0,
  currency: "USD",
  frequency: "",
  is_subscribed: true,
  can_subscribe: false,
  legacy_id: "free",
  legacy_discount: false,
  externally_managed: false,
};

/** The zone object (SDK `Zone`). */
export function zoneView(zone: ZoneRecord, account: AccountRecord) {
  return {
    id: zone.id,
    name: zone.name,
    status: "active",
    paused: false,
    type: "full",
    development_mode: 0,
    name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.created_on,
    modified_on: zone.modified_on,
    activated_on: zone.activated_on,
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: null, type: "user", email: null },
    account: { id: account.id, name: account.name },
    plan: { ...FREE_PLAN },
  };
}

/** The zone named by `:zoneId`: 404 (`notFound`) when none has the id, 403 / 10000 when the credential cannot see its account. */
export function requireZone(ctx: RequestContext, notFound = errors.zoneNotFound): { account: AccountRecord; zone: ZoneRecord } {
  const hit = ctx.state.findZone(ctx.params.zoneId);
  if (!hit) throw notFound();
  if (!canSeeAccount(ctx.principal!, hit.account.id)) throw errors.authenticationError();
  return hit;
}

type Listed = ReturnType<typeof zoneView>;

/** `equal` (default), `not_equal`, `starts_with`, `ends_with`, `contains` and their `_case_sensitive` forms. */
function nameMatcher(raw: string): (name: string) => boolean {
  const m = /^(equal|not_equal|starts_with|ends_with|contains)(_case_sensitive)?:(.*)$/.exec(raw);
  const op = m ? m[1] : "equal";
  const caseSensitive = m ? m[2] !== undefined : false;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const wanted = fold(m ? m[3] : raw);
  const tests: Record<string, (n: string) => boolean> = {
    equal: (n) => n === wanted,
    not_equal: (n) => n !== wanted,
    starts_with: (n) => n.startsWith(wanted),
    ends_with: (n) => n.endsWith(wanted),
    contains: (n) => n.includes(wanted),
  };
  return (name) => tests[op](fold(name));
}

/** Reads `account.id` or `account[id]` (the SDK's bracket encoding of nested query objects). */
function nested(query: URLSearchParams, key: string, field: string): string | null {
  return query.get(`${key}.${field}`) ?? query.get(`${key}[${field}]`);
}

function listZones(ctx: RequestContext): ApiResult {
  const q = ctx.query;
  let zones: Listed[] = ctx.state
    .allAccounts()
    .filter((a) => canSeeAccount(ctx.principal!, a.id))
    .flatMap((a) => a.zones.map((z) => zoneView(z, a)));
  const name = q.get("name");
  if (name) zones = zones.filter((z) => nameMatcher(name)(z.name));
  const accountId = nested(q, "account", "id");
  if (accountId) zones = zones.filter((z) => z.account.id === accountId);
  const accountName = nested(q, "account", "name");
  if (accountName) zones = zones.filter((z) => nameMatcher(accountName)(z.account.name));
  const status = q.get("status");
  if (status) zones = zones.filter((z) => z.status === status);
  const order = q.get("order");
  const key = (z: Listed) => (order === "account.id" ? z.account.id : order === "account.name" ? z.account.name : z.name);
  zones = sortedByQuery(zones, order ? (q.get("direction") ?? "asc") : q.get("direction"), key);
  return pagedResult(zones, q, ZONE_PAGES);
}

function getZone(ctx: RequestContext): ApiResult {
  const { account, zone } = requireZone(ctx);
  return ok(zoneView(zone, account));
}

export const zoneRoutes: RouteDefinition[] = [
  { method: "GET", pattern: "/zones", handler: listZones },
  { method: "GET", pattern: "/zones/:zoneId", handler: getZone },
];
