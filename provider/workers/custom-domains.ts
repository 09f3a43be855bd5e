/**
 * A dispatcher's custom domains: hostnames whose whole traffic Cloudflare sends to the Worker (the
 * Workers custom domains API, `PUT|GET /accounts/:a/workers/domains`, `DELETE …/:id`). Like routes,
 * they live apart from the upload and cost calls only when they change.
 *
 * Cloudflare's PUT attaches by hostname (it moves a hostname held by another Worker), so a domain is
 * detached only while it still points at this script: a dispatcher replaced under a new name takes
 * its domains over first, and deleting the old one leaves them alone.
 */
import * as domains from "../cloudflare/endpoints/domains";
import type { DomainListResponse } from "../cloudflare/endpoints/domains";
import * as zones from "../cloudflare/endpoints/zones";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { type Failures } from "../framework/check";
import { isUnknown, isUnknownValue } from "../framework/unknowns";

export interface CustomDomain {
  /** The hostname, the zone's apex or a subdomain of it, e.g. `platform.example.com`. */
  hostname: string;
  /** The zone the hostname belongs to (32 hex characters); Cloudflare finds it from the hostname when omitted. */
  zoneId?: string;
}

export interface CustomDomainInputs {
  customDomains?: CustomDomain[];
}

export interface CustomDomainOutputs {
  /** Cloudflare's id of each custom domain, by hostname. */
  customDomainIds?: Record<string, string>;
}

const ZONE_ID = /^[0-9a-f]{32}$/;

/** Whether `value` is a zone id: 32 lowercase hexadecimal characters. */
export function isZoneId(value: unknown): value is string {
  return typeof value === "string" && ZONE_ID.test(value);
}
/** A hostname: lowercase DNS labels, without scheme, path, port or wildcard (what Cloudflare attaches). */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `value` is a lowercase hostname without scheme, path, port or wildcard (custom hostnames use it too). */
export function isPlainHostname(value: string): boolean {
  return HOSTNAME.test(value);
}

/** The rules that need no request: a list of `{ hostname, zoneId? }`, each hostname a plain lowercase DNS name, listed once. */
export function checkCustomDomains(inputs: CustomDomainInputs, failures: Failures): void {
  const domains = inputs.customDomains as unknown;
  if (domains === undefined || isUnknownValue(domains)) return;
  if (!Array.isArray(domains)) {
    failures.add("customDomains", 'customDomains must be a list of { hostname, zoneId? }, e.g. [{ hostname: "platform.example.com" }]');
    return;
  }
  const seen = new Set<string>();
  domains.forEach((domain: Partial<CustomDomain>, i) => {
    if (isUnknownValue(domain)) return;
    if (domain === null || typeof domain !== "object") {
      failures.add("customDomains", `customDomains[${i}] must be an object like { hostname: "platform.example.com" }`);
      return;
    }
    if (!isUnknown(domain.hostname) && (typeof domain.hostname !== "string" || !isPlainHostname(domain.hostname))) {
      failures.add(
        "customDomains",
        `customDomains[${i}].hostname must be a lowercase hostname without scheme, path, port or wildcard, e.g. "platform.example.com", got ${JSON.stringify(domain.hostname)}`,
      );
    }
    if (domain.zoneId !== undefined && !isUnknown(domain.zoneId) && !isZoneId(domain.zoneId)) {
      failures.add(
        "customDomains",
        `customDomains[${i}].zoneId must be a zone id (32 lowercase hexadecimal characters), or omitted to find the zone from the hostname`,
      );
    }
    if (typeof domain.hostname !== "string" || isUnknown(domain.hostname)) return;
    if (seen.has(domain.hostname)) failures.add("customDomains", `customDomains[${i}]: the hostname '${domain.hostname}' is listed twice`);
    seen.add(domain.hostname);
  });
}

/**
 * At preview, with a connection: each hostname must lie in the zone it names (the apex or a
 * subdomain), which Cloudflare would otherwise refuse only at `up`. One zone GET per named zone.
 */
export async function checkCustomDomainZones(session: Session, inputs: CustomDomainInputs, failures: Failures): Promise<void> {
  const domains = inputs.customDomains;
  if (!Array.isArray(domains) || isUnknown(domains)) return;
  const zoneNames = new Map<string, string | undefined>();
  for (const [i, domain] of domains.entries()) {
    if (!isZoneId(domain?.zoneId) || typeof domain.hostname !== "string") continue;
    if (!zoneNames.has(domain.zoneId)) zoneNames.set(domain.zoneId, await zoneName(session, domain.zoneId));
    const zone = zoneNames.get(domain.zoneId);
    if (zone === undefined) {
      failures.add("customDomains", `customDomains[${i}].zoneId: account ${session.accountId} has no zone ${domain.zoneId}`);
    } else if (domain.hostname !== zone && !domain.hostname.endsWith(`.${zone}`)) {
      failures.add(
        "customDomains",
        `customDomains[${i}]: the hostname '${domain.hostname}' is not in zone '${zone}' (${domain.zoneId}); give the zone's apex or a subdomain of it`,
      );
    }
  }
}

/** Attaches the wanted domains (all on create; new or re-zoned ones on update), then detaches the dropped ones. */
export async function applyCustomDomains(
  session: Session,
  scriptName: string,
  news: CustomDomainInputs,
  olds: (CustomDomainInputs & CustomDomainOutputs) | undefined,
): Promise<CustomDomainOutputs> {
  const current = new Map(Object.entries(olds?.customDomainIds ?? {}));
  const oldZones = new Map((olds?.customDomains ?? []).map((d) => [d.hostname, d.zoneId]));
  const ids: Record<string, string> = {};
  for (const domain of news.customDomains ?? []) {
    const kept = current.get(domain.hostname);
    ids[domain.hostname] =
      kept !== undefined && oldZones.get(domain.hostname) === domain.zoneId ? kept : await attach(session, scriptName, domain);
  }
  for (const [hostname, id] of current) {
    if (ids[hostname] === undefined) await detachIfOurs(session, scriptName, id);
  }
  return { customDomainIds: ids };
}

/**
 * At refresh: the domains Cloudflare has for this script, in the program's order and spelling (only
 * these keys). A dispatcher that declares none costs no call, as for routes.
 */
export async function readCustomDomains(
  session: Session,
  scriptName: string,
  props: CustomDomainInputs & CustomDomainOutputs,
): Promise<CustomDomainInputs & CustomDomainOutputs> {
  if (props.customDomains === undefined && Object.keys(props.customDomainIds ?? {}).length === 0) return {};
  const found: DomainListResponse[] = [];
  try {
    for await (const domain of domains.list(session, scriptName)) found.push(domain);
  } catch (error) {
    throw describeFailure(`reading the custom domains of worker script '${scriptName}'`, error);
  }
  if (props.customDomains === undefined && found.length === 0) return {};
  const declared = new Map((props.customDomains ?? []).map((d, i) => [d.hostname, { domain: d, position: i }]));
  const order = (hostname: string) => declared.get(hostname)?.position ?? Number.MAX_SAFE_INTEGER;
  found.sort((a, b) => order(a.hostname) - order(b.hostname));
  // The program's own spelling: a domain it declared without its zone stays without it.
  const spelled = (d: DomainListResponse) =>
    declared.get(d.hostname)?.domain.zoneId === undefined && declared.has(d.hostname)
      ? { hostname: d.hostname }
      : { hostname: d.hostname, zoneId: d.zone_id };
  return { customDomains: found.map(spelled), customDomainIds: Object.fromEntries(found.map((d) => [d.hostname, d.id])) };
}

/** Before the script is deleted: its domains, unless another Worker has taken them over since. */
export async function removeCustomDomains(session: Session, scriptName: string, outputs: CustomDomainOutputs): Promise<void> {
  for (const id of Object.values(outputs.customDomainIds ?? {})) await detachIfOurs(session, scriptName, id);
}

async function attach(session: Session, scriptName: string, domain: CustomDomain): Promise<string> {
  try {
    const attached = await domains.attach(session, {
      hostname: domain.hostname,
      service: scriptName,
      ...(domain.zoneId === undefined ? {} : { zone_id: domain.zoneId }),
    });
    return attached.id;
  } catch (error) {
    throw describeFailure(
      `attaching the custom domain '${domain.hostname}' to worker script '${scriptName}'`,
      error,
      "check the customDomains input (the hostname must be in a zone of the account)",
    );
  }
}

async function detachIfOurs(session: Session, scriptName: string, id: string): Promise<void> {
  try {
    const domain = await domains.get(session, id);
    if (domain.service !== scriptName) return; // moved to another Worker: no longer ours to detach
    await domains.remove(session, id);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`detaching custom domain ${id} from worker script '${scriptName}'`, error);
  }
}

async function zoneName(session: Session, zoneId: string): Promise<string | undefined> {
  try {
    return (await zones.get(session, zoneId)).name;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading zone ${zoneId}`, error);
  }
}
