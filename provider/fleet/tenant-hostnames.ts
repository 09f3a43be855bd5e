/**
 * A fleet tenant's customer domains (its `hostnames`, custom hostnames of the fleet's `zoneId`).
 * State keeps per tenant only what finds and deletes them and tells whether they changed: a
 * fingerprint of the declared hostnames (11 characters) and each hostname's id with its status (23
 * characters each), in the tenant's line (states.ts). Which hostname an id is, and with what
 * metadata, is read from Cloudflare when the tenant's hostnames change (../hostnames/reconcile.ts).
 */
import { createHash } from "node:crypto";
import { listCustomHostnames } from "../cloudflare/endpoints/custom-hostnames";
import type { Session } from "../cloudflare/session";
import { canonical } from "../framework/canonical-json";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { type HeldHostnames, type PlacedHostname, type WantedHostnames, reconcileHostnames } from "../hostnames/reconcile";
import type { CustomHostnameSpec } from "../hostnames/rules";
import type { FleetPlan } from "./plan";
import type { TenantSpec } from "./spec";
import type { TenantState } from "./states";

/**
 * A hostname's verification status as one character: its place in the SDK's list of statuses
 * (cloudflare/resources/custom-hostnames, `CustomHostnameGetResponse.status`). Append only.
 */
const STATUSES = [
  "active",
  "pending",
  "active_redeploying",
  "moved",
  "pending_deletion",
  "deleted",
  "pending_blocked",
  "pending_migration",
  "pending_provisioned",
  "test_pending",
  "test_active",
  "test_active_apex",
  "test_blocked",
  "test_failed",
  "provisioned",
  "blocked",
] as const;
/** A status outside the list (or not read). */
const OTHER_STATUS = "z";

/** Marks hostnames that are not as declared after a failed step or a refresh: the next `up` reconciles them. */
export const STALE_HOSTNAMES = "!";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The tenant's declared hostnames; undefined while unknown (at preview). */
export function declaredHostnames(spec: TenantSpec): CustomHostnameSpec[] | undefined {
  if (isUnknownValue(spec)) return undefined;
  const hostnames = spec.hostnames;
  if (hostnames === undefined) return [];
  return isUnknown(hostnames) ? undefined : hostnames;
}

/**
 * What the tenant's hostnames are, in 11 characters: "" for none, undefined while unknown. Cloudflare's
 * defaults written out and the order ignored, so only a change a hostname would see counts.
 */
export function hostnamesPrint(spec: TenantSpec, zoneId: string | undefined): string | undefined {
  const hostnames = declaredHostnames(spec);
  if (hostnames === undefined || (hostnames.length > 0 && (zoneId === undefined || isUnknown(zoneId)))) return undefined;
  if (hostnames.length === 0) return "";
  const normalized = hostnames
    .map((h) => ({
      hostname: h.hostname,
      customMetadata: h.customMetadata ?? {},
      ssl: { method: h.ssl?.method ?? "http", type: h.ssl?.type ?? "dv" },
      customOriginServer: h.customOriginServer ?? "",
    }))
    .sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
  return createHash("sha256")
    .update(canonical({ zoneId, hostnames: normalized }))
    .digest("base64url")
    .slice(0, 11);
}

/** Whether the tenant's hostnames in state differ from `print` (what it declares now). */
export function hostnamesChanged(state: TenantState, print: string | undefined): boolean {
  return print === undefined || print !== (state.hostnamesHash ?? "");
}

/** The ids with their statuses as the tenant's line holds them: `<status><id>` each, comma-separated, a UUID as 22 base64url characters. */
export function storedHostnames(placed: ReadonlyArray<Pick<PlacedHostname, "id" | "status">>): string | undefined {
  if (placed.length === 0) return undefined;
  return placed
    .map(({ id, status }) => {
      const at = STATUSES.indexOf(status as (typeof STATUSES)[number]);
      const code = at < 0 ? OTHER_STATUS : at.toString(36);
      return code + (UUID.test(id) ? Buffer.from(id.replace(/-/g, ""), "hex").toString("base64url") : `~${id}`);
    })
    .join(",");
}

/** The ids and statuses from the stored form. */
export function storedHostnamesOf(stored: string | undefined): Array<{ id: string; status: string }> {
  if (!stored) return [];
  return stored.split(",").map((field) => {
    const code = field[0];
    const rest = field.slice(1);
    const status = code === OTHER_STATUS ? "unknown" : (STATUSES[parseInt(code, 36)] ?? "unknown");
    if (rest.startsWith("~")) return { id: rest.slice(1), status };
    const hex = Buffer.from(rest, "base64url").toString("hex");
    return { id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`, status };
  });
}

/** "98 active, 2 pending": how many of the fleet's hostnames have each status; undefined without any. */
export function hostnameStatusSummary(states: Record<string, TenantState>): string | undefined {
  const counts = new Map<string, number>();
  for (const state of Object.values(states))
    for (const { status } of storedHostnamesOf(state.hostnames)) counts.set(status, (counts.get(status) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
}

/** Where the fleet's hostnames are and go: the zone state records, and the zone declared now. */
export interface HostnameZones {
  before?: string;
  now?: string;
}

/**
 * One `up`'s hostname step, after the uploads and before the script deletes: the hostnames of the
 * tenants created, of those whose hostnames changed, and of those deleted, made what the program
 * declares in one pass (a hostname moving between two of them is edited in place). Updates
 * `states`; returns the tenants whose hostnames are not all as declared, with why (a deleted tenant
 * among them keeps its script until they are gone).
 */
export async function applyFleetHostnames(
  session: Session,
  states: Record<string, TenantState>,
  plan: FleetPlan,
  effective: Record<string, TenantSpec>,
  zones: HostnameZones,
  parallelism: number,
): Promise<Map<string, string>> {
  const removed = new Set(plan.remove);
  const held = new Map<string, HeldHostnames>();
  const wanted = new Map<string, WantedHostnames>();
  const prints = new Map<string, string | undefined>();
  for (const name of new Set([...plan.create, ...plan.hostnames, ...plan.remove])) {
    const state = states[name];
    if (state === undefined) continue; // its upload failed: nothing to put a domain in front of
    const ids = storedHostnamesOf(state.hostnames).map((h) => h.id);
    if (ids.length > 0 && zones.before !== undefined) held.set(name, { zoneId: zones.before, ids });
    if (removed.has(name)) continue;
    const hostnames = declaredHostnames(effective[name]) ?? [];
    prints.set(name, hostnamesPrint(effective[name], zones.now));
    if (hostnames.length > 0 && zones.now !== undefined) wanted.set(name, { zoneId: zones.now, hostnames });
  }
  if (held.size === 0 && wanted.size === 0) {
    for (const [name, print] of prints) setHostnames(states[name], [], print);
    return new Map();
  }
  const { placed, failed } = await reconcileHostnames(session, held, wanted, parallelism);
  for (const [name, print] of prints) setHostnames(states[name], placed.get(name) ?? [], failed.has(name) ? STALE_HOSTNAMES : print);
  for (const name of plan.remove) if (failed.has(name)) setHostnames(states[name], placed.get(name) ?? [], STALE_HOSTNAMES);
  return failed;
}

function setHostnames(state: TenantState, placed: PlacedHostname[], print: string | undefined): void {
  const stored = storedHostnames(placed);
  if (stored === undefined) delete state.hostnames;
  else state.hostnames = stored;
  if (print === undefined || print === "") delete state.hostnamesHash;
  else state.hostnamesHash = print;
}

/** Destroy: every tenant's hostnames; returns the tenants whose hostnames could not all be deleted. */
export async function removeFleetHostnames(
  session: Session,
  states: Record<string, TenantState>,
  zoneId: string | undefined,
  parallelism: number,
): Promise<Map<string, string>> {
  const held = new Map<string, HeldHostnames>();
  for (const [name, state] of Object.entries(states)) {
    const ids = storedHostnamesOf(state.hostnames).map((h) => h.id);
    if (ids.length > 0 && zoneId !== undefined) held.set(name, { zoneId, ids });
  }
  if (held.size === 0) return new Map();
  return (await reconcileHostnames(session, held, new Map(), parallelism)).failed;
}

/**
 * Refresh: every hostname's status from one list of the zone (50 per page), instead of a request per
 * hostname. A hostname deleted outside Pulumi leaves state and marks its tenant's hostnames stale
 * (the next `up` creates it again); returns whether any was.
 */
export async function refreshFleetHostnames(
  session: Session,
  states: Record<string, TenantState>,
  zoneId: string | undefined,
): Promise<boolean> {
  if (zoneId === undefined || !Object.values(states).some((s) => s.hostnames)) return false;
  const statuses = new Map<string, string>();
  for await (const h of listCustomHostnames(session, zoneId)) statuses.set(h.id, h.status ?? "pending");
  let missing = false;
  for (const [name, state] of Object.entries(states)) {
    if (!state.hostnames) continue;
    const held = storedHostnamesOf(state.hostnames);
    const present = held.filter((h) => statuses.has(h.id)).map((h) => ({ id: h.id, status: statuses.get(h.id)! }));
    const next: TenantState = { ...state };
    if (present.length < held.length) {
      missing = true;
      next.hostnamesHash = STALE_HOSTNAMES;
    }
    const stored = storedHostnames(present);
    if (stored === undefined) delete next.hostnames;
    else next.hostnames = stored;
    states[name] = next;
  }
  return missing;
}

/** How the fleet's hostnames change between two sets of specs: created, deleted, and moved to another tenant. */
export interface HostnameChanges {
  create: number;
  remove: number;
  /** "hostname → tenant" each. */
  moves: string[];
}

export function describeHostnameChanges(
  before: Record<string, TenantSpec>,
  beforeZone: string | undefined,
  after: Record<string, TenantSpec>,
  afterZone: string | undefined,
): HostnameChanges {
  const owners = (specs: Record<string, TenantSpec>) => {
    const byHostname = new Map<string, string>();
    for (const [name, spec] of Object.entries(specs)) for (const h of declaredHostnames(spec) ?? []) byHostname.set(h.hostname, name);
    return byHostname;
  };
  const old = beforeZone === afterZone ? owners(before) : new Map<string, string>();
  const now = owners(after);
  const changes: HostnameChanges = { create: 0, remove: 0, moves: [] };
  for (const [hostname, tenant] of now) {
    const was = old.get(hostname);
    if (was === undefined) changes.create++;
    else if (was !== tenant) changes.moves.push(`${hostname} → ${tenant}`);
  }
  const previous = beforeZone === afterZone ? old : owners(before);
  for (const hostname of previous.keys()) if (beforeZone !== afterZone || !now.has(hostname)) changes.remove++;
  return changes;
}
