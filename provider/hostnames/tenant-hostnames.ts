/**
 * A tenant's own custom hostnames: the customer domains that come and go with a tenant script (a
 * NamespacedWorkerScript's `hostnames`, or a TenantFleet tenant's), each a custom hostname of the
 * platform's zone (`zoneId`) whose metadata the dispatcher reads as `request.cf.hostMetadata`.
 * Each hostname follows the CustomHostname rules (rules.ts); this module adds the list's rules and,
 * for a NamespacedWorkerScript, the steps around its upload (reconcile.ts does the requests).
 */
import { getCustomHostname } from "../cloudflare/endpoints/custom-hostnames";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { isZoneId } from "../workers/custom-domains";
import { type HeldHostnames, type PlacedHostname, type WantedHostnames, reconcileHostnames } from "./reconcile";
import { type CustomHostnameSpec, type HostnameProblem, customHostnameProblems } from "./rules";

export interface TenantHostnameInputs {
  /** The platform's zone (Cloudflare for SaaS) the hostnames are custom hostnames of. */
  zoneId?: string;
  /** The tenant's customers' domains, each with its custom metadata. */
  hostnames?: CustomHostnameSpec[];
}

export interface TenantHostnameOutputs {
  /** Cloudflare's id of each hostname, by hostname. */
  customHostnameIds?: Record<string, string>;
  /** Each hostname's verification status ("pending" until verified, then "active"), by hostname. */
  hostnameStatuses?: Record<string, string>;
}

/** The rules of one tenant's `hostnames` list (at `at`, e.g. "hostnames" or "tenants.acme.hostnames"): each a custom hostname, none twice. */
export function hostnamesProblems(hostnames: unknown, at: string): HostnameProblem[] {
  if (hostnames === undefined || isUnknownValue(hostnames)) return [];
  if (!Array.isArray(hostnames))
    return [{ property: at, reason: `${at} must be a list of { hostname, customMetadata? }, e.g. [{ hostname: "shop.customer.com" }]` }];
  const problems: HostnameProblem[] = [];
  const seen = new Set<string>();
  hostnames.forEach((entry: unknown, i) => {
    const where = `${at}[${i}]`;
    if (isUnknownValue(entry)) return;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push({
        property: where,
        reason: `${where} must be an object like { hostname: "shop.customer.com", customMetadata: { tenant: "acme" } }`,
      });
      return;
    }
    problems.push(...customHostnameProblems(entry as Record<string, unknown>, where));
    const hostname = (entry as { hostname?: unknown }).hostname;
    if (typeof hostname !== "string" || isUnknown(hostname)) return;
    if (seen.has(hostname)) problems.push({ property: `${where}.hostname`, reason: `the hostname '${hostname}' is listed twice` });
    seen.add(hostname);
  });
  return problems;
}

/** The zone's rule: a zone id, required once any hostname is declared. */
export function zoneProblems(zoneId: unknown, declaresHostnames: boolean): HostnameProblem[] {
  if (zoneId === undefined) {
    return declaresHostnames
      ? [{ property: "zoneId", reason: "zoneId is required with hostnames: the zone (Cloudflare for SaaS) they are custom hostnames of" }]
      : [];
  }
  if (isUnknown(zoneId) || isZoneId(zoneId)) return [];
  return [{ property: "zoneId", reason: "zoneId must be a zone id (32 lowercase hexadecimal characters)" }];
}

/** Whether `hostnames` holds (or may hold, while unknown) at least one hostname. */
export function declaresHostnames(hostnames: unknown): boolean {
  return isUnknownValue(hostnames) || (Array.isArray(hostnames) && hostnames.length > 0);
}

/** Tenant-script steps in flight at once: the request policy's concurrency, as for a fleet's tenants. */
function parallelism(session: Session): number {
  return session.context.policy.current().maxConcurrency;
}

/**
 * After a script's upload: its hostnames made what `news` declares, from what `olds` held. A hostname
 * another resource declares is taken over (edited to this declaration) rather than refused, and one
 * taken over since is not deleted: a hostname moved between two scripts in one `up` works in either
 * order the engine runs their updates.
 */
export async function applyTenantHostnames(
  session: Session,
  owner: string,
  news: TenantHostnameInputs,
  olds: (TenantHostnameInputs & TenantHostnameOutputs) | undefined,
): Promise<TenantHostnameOutputs> {
  const held = heldBy(owner, olds);
  const wanted = new Map<string, WantedHostnames>();
  if (news.zoneId !== undefined && (news.hostnames?.length ?? 0) > 0)
    wanted.set(owner, { zoneId: news.zoneId, hostnames: news.hostnames! });
  if (held.size === 0 && wanted.size === 0) return { customHostnameIds: undefined, hostnameStatuses: undefined };
  const result = await reconcileHostnames(session, held, wanted, parallelism(session), { takeOver: true });
  const failure = result.failed.get(owner);
  if (failure !== undefined) throw new Error(`the custom hostnames of '${owner}': ${failure}`);
  return outputsOf(result.placed.get(owner) ?? []);
}

/** Before the script is deleted: its hostnames (nothing may send a customer's domain to a missing script). */
export async function removeTenantHostnames(
  session: Session,
  owner: string,
  props: TenantHostnameInputs & TenantHostnameOutputs,
): Promise<void> {
  const held = heldBy(owner, props);
  if (held.size === 0) return;
  const result = await reconcileHostnames(session, held, new Map(), parallelism(session));
  const failure = result.failed.get(owner);
  if (failure !== undefined) throw new Error(`deleting the custom hostnames of '${owner}': ${failure}`);
}

/**
 * At refresh: each hostname's status as Cloudflare has it now (one GET each); one deleted outside
 * Pulumi leaves `hostnames` too, so the next `up` creates it again.
 */
export async function readTenantHostnames(
  session: Session,
  props: TenantHostnameInputs & TenantHostnameOutputs,
): Promise<TenantHostnameInputs & TenantHostnameOutputs> {
  const ids = props.customHostnameIds ?? {};
  if (Object.keys(ids).length === 0 || props.zoneId === undefined) return {};
  const statuses: Record<string, string> = {};
  const present: Record<string, string> = {};
  for (const [hostname, id] of Object.entries(ids)) {
    try {
      const found = await getCustomHostname(session, props.zoneId, id);
      present[hostname] = id;
      statuses[hostname] = found.status ?? "pending";
    } catch (error) {
      if (!isNotFound(error)) throw describeFailure(`reading custom hostname '${hostname}'`, error);
    }
  }
  const hostnames = (props.hostnames ?? []).filter((h) => h.hostname in present);
  return { hostnames: hostnames.length > 0 ? hostnames : undefined, customHostnameIds: present, hostnameStatuses: statuses };
}

function heldBy(owner: string, olds: (TenantHostnameInputs & TenantHostnameOutputs) | undefined): Map<string, HeldHostnames> {
  const ids = Object.values(olds?.customHostnameIds ?? {});
  if (olds?.zoneId === undefined || ids.length === 0) return new Map();
  const declared = new Map((olds.hostnames ?? []).map((h) => [h.hostname, h]));
  return new Map([[owner, { zoneId: olds.zoneId, ids, declared }]]);
}

function outputsOf(placed: PlacedHostname[]): TenantHostnameOutputs {
  if (placed.length === 0) return { customHostnameIds: undefined, hostnameStatuses: undefined };
  return {
    customHostnameIds: Object.fromEntries(placed.map((p) => [p.hostname, p.id])),
    hostnameStatuses: Object.fromEntries(placed.map((p) => [p.hostname, p.status])),
  };
}
