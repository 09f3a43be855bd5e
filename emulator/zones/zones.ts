/**
 * The zone registry: which zones (domains) exist, in which account, under which id. Zones are
 * configuration, like accounts: `EmulatorOptions.zones` (default: one `example.com` in the default
 * account, its id derived from the account id so it is the same on every start), re-created by
 * `reset()`. Worker routes live inside their zone.
 */
import { cfTimestamp, isAccountId, stableHexId } from "../ids";
import type { SaasRecords } from "./custom-hostnames";

/** A zone the emulator should have (from `EmulatorOptions.zones`). */
export interface ZoneSeed {
  /** 32 lowercase hex; default derived from the account id and the name. */
  id?: string;
  /** The domain, e.g. "example.com". */
  name: string;
  /** Owning account; default the emulator's default account. */
  accountId?: string;
}

/** `{ id, pattern, script }` — a Worker route of a zone; no `script` = a placeholder route that runs no Worker. */
export interface RouteRecord {
  id: string;
  pattern: string;
  script?: string;
}

/** A zone; its custom hostnames and fallback origin (`SaasRecords`) appear once the API has made them. */
export interface ZoneRecord extends SaasRecords {
  id: string;
  name: string;
  created_on: string;
  modified_on: string;
  activated_on: string;
  /** In creation order (which is also the list order). */
  routes: RouteRecord[];
}

export const DEFAULT_ZONE_NAME = "example.com";

/** [INF] Zone names: lowercase DNS names with at least two labels (a registrable domain or a subdomain of one). */
const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The zone id used when a seed names none: stable across restarts, distinct per account and name. */
export function defaultZoneId(accountId: string, name: string): string {
  return stableHexId(`zone:${accountId}:${name}`);
}

/** Seeds with ids and accounts filled in; throws on a malformed id or name, or a duplicate. */
export function resolveZoneSeeds(seeds: readonly ZoneSeed[], defaultAccountId: string): Array<Required<ZoneSeed>> {
  const out = seeds.map((s) => {
    const accountId = s.accountId ?? defaultAccountId;
    if (!ZONE_NAME.test(s.name)) throw new Error(`zone name must be a lowercase domain such as "example.com", got "${s.name}"`);
    const id = s.id ?? defaultZoneId(accountId, s.name);
    if (!isAccountId(id)) throw new Error(`zone id must be 32 lowercase hex characters, got "${id}"`);
    return { id, name: s.name, accountId };
  });
  const ids = new Set<string>();
  for (const s of out) {
    if (ids.has(s.id)) throw new Error(`zone id "${s.id}" is configured twice`);
    ids.add(s.id);
  }
  return out;
}

export function newZone(seed: Required<ZoneSeed>): ZoneRecord {
  const now = cfTimestamp();
  return { id: seed.id, name: seed.name, created_on: now, modified_on: now, activated_on: now, routes: [] };
}
