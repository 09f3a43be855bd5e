/**
 * What an `up` does to each tenant of a fleet: create, update, delete, release (forget without
 * deleting), or nothing. `diff` and `update` plan from state (a fingerprint per tenant); `check`
 * describes it (changes.ts).
 */
import type { ProviderCaches } from "../caches";
import { BoundedMemo } from "../framework/memo";
import { canonical } from "../framework/canonical-json";
import { UNKNOWN, isUnknownValue } from "../framework/unknowns";
import { type BuiltHashes, type TenantSpec, fingerprint, mergedSpec } from "./spec";
import type { TenantState } from "./states";
import { specOfText, withSecretsApart } from "./packed-spec";
import { tenantSecretsOf } from "./tenant-secrets";
import { hostnamesChanged, hostnamesPrint } from "./tenant-hostnames";

export type { TenantState } from "./states";

/**
 * The fleet's inputs a plan reads. The sdk registers the specs under `__tenants` and `__defaults`:
 * the CLI's display leaves out properties whose name starts with `__` (as it does `__provider`), so
 * `preview --diff` does not print every tenant of a changed map; `changes` says what changes
 * instead. Inputs written by earlier releases (and programs handing the provider its inputs
 * directly) hold them as `tenants` and `defaults`.
 */
export interface FleetSpecs extends BuiltHashes {
  /** Each asset directory's compact manifest (../workers/asset-changes.ts), set by check: what the next preview compares. */
  assetsManifests?: Record<string, string>;
  /** Each tenant's spec, or its JSON text (tenantSpecOf). */
  __tenants?: Record<string, TenantSpec | string>;
  /** The spec every tenant shares, or its JSON text. */
  __defaults?: TenantSpec | string;
  /** `__tenants` as inputs of earlier releases hold it. */
  tenants?: Record<string, TenantSpec | string>;
  /** `__defaults` as inputs of earlier releases hold it. */
  defaults?: TenantSpec | string;
  /** The secret bindings of tenants whose text keeps them apart, as one text (tenant-secrets.ts). */
  tenantSecrets?: string;
  release?: string[];
  /** The zone of the tenants' hostnames. */
  zoneId?: string;
}

export interface FleetPlan {
  create: string[];
  update: string[];
  remove: string[];
  /** Leaving the fleet without being deleted (moved to a standalone resource). */
  release: string[];
  unchanged: string[];
  /** Tenants in state (not deleted) whose hostnames change, with or without an upload (tenant-hostnames.ts). */
  hostnames: string[];
  /** The new fingerprint of each planned tenant; absent while its spec is unknown. */
  fingerprints: Record<string, string | undefined>;
}

/** The tenants as registered, in either place (FleetSpecs). */
export function registeredTenants(specs: FleetSpecs): unknown {
  return specs.__tenants ?? specs.tenants;
}

/** The defaults as registered, in either place (FleetSpecs). */
export function registeredDefaults(specs: FleetSpecs): unknown {
  return specs.__defaults ?? specs.defaults;
}

/** The tenants map as far as it is known; undefined when the whole map is still unknown. */
export function knownTenants(specs: FleetSpecs): Record<string, TenantSpec | string> | undefined {
  const tenants = registeredTenants(specs) as Record<string, TenantSpec | string> | undefined;
  return tenants === undefined || isUnknownValue(tenants) ? undefined : tenants;
}

/**
 * One tenant's spec as the sdk registers it: JSON text once every part of it is known (one string
 * crosses the engine's Struct encoding where a spec's nested values would cost ten: at ten thousand
 * tenants, seconds per command), in which a binding given as a string is a plain text binding; the
 * spec object as given otherwise. Text that is not a JSON object is returned as is, for check to refuse.
 */
export function tenantSpecOf(value: unknown, parsed: ParsedSpecs): TenantSpec {
  if (typeof value !== "string" || isUnknownValue(value)) return value as TenantSpec;
  return parsed.of(value, specOfText);
}

/** One command's check and diff read the same ten thousand texts several times; nothing mutates a parsed spec. */
export type ParsedSpecs = BoundedMemo<string, TenantSpec>;

export function parsedSpecs(): ParsedSpecs {
  return new BoundedMemo(50_000);
}

/**
 * The merged specs of the last few inputs, by the identity of what they merge: check reads the old
 * and the new inputs' specs three times each (the changes line, the tag and secret edits, validation),
 * ten thousand merges each time. The maps returned are shared: no caller changes them.
 */
export class EffectiveSpecsMemo {
  private entries: Array<{ tenants: unknown; defaults: unknown; secrets: unknown; specs: Record<string, TenantSpec> }> = [];

  constructor(private readonly limit = 4) {}

  of(specs: FleetSpecs, compute: () => Record<string, TenantSpec>): Record<string, TenantSpec> {
    const key = { tenants: registeredTenants(specs), defaults: registeredDefaults(specs), secrets: specs.tenantSecrets };
    const hit = this.entries.find((e) => e.tenants === key.tenants && e.defaults === key.defaults && e.secrets === key.secrets);
    if (hit) return hit.specs;
    const entry = { ...key, specs: compute() };
    this.entries = [entry, ...this.entries.slice(0, this.limit - 1)];
    return entry.specs;
  }
}

/** Each tenant's merged spec (an unknown tenant stays the unknown sentinel). */
export function effectiveSpecs(specs: FleetSpecs, caches: ProviderCaches): Record<string, TenantSpec> {
  return caches.effectiveSpecs.of(specs, () => mergedSpecs(specs, caches));
}

function mergedSpecs(specs: FleetSpecs, caches: ProviderCaches): Record<string, TenantSpec> {
  const out: Record<string, TenantSpec> = {};
  // Defaults still unknown as a whole: so is every tenant merged over them.
  const given = registeredDefaults(specs);
  const defaults = given === undefined ? undefined : tenantSpecOf(given, caches.tenantSpecs);
  const defaultsUnknown = defaults !== undefined && isUnknownValue(defaults);
  const secrets = tenantSecretsOf(specs.tenantSecrets, caches.tenantSecrets);
  for (const [name, given] of Object.entries(knownTenants(specs) ?? {})) {
    const tenant = withSecretsApart(tenantSpecOf(given, caches.tenantSpecs), name, secrets);
    // Not an object (nor unknown): kept as given, for check to refuse.
    const mergeable = tenant !== null && typeof tenant === "object" && !Array.isArray(tenant) && !isUnknownValue(tenant);
    out[name] = defaultsUnknown ? (UNKNOWN as TenantSpec) : mergeable ? mergedSpec(defaults, tenant) : tenant;
  }
  return out;
}

/**
 * Whether a tenant is the same in both inputs by its registered text alone: the same text over the
 * same defaults, secrets and built hashes is the same tenant, with no need to compare its properties.
 */
export function sameByText(olds: FleetSpecs, news: FleetSpecs): (name: string) => boolean {
  const sameBase =
    sameText(registeredDefaults(olds), registeredDefaults(news)) &&
    olds.tenantSecrets === news.tenantSecrets &&
    canonical(olds.contentHashes ?? {}) === canonical(news.contentHashes ?? {}) &&
    canonical(olds.assetsHashes ?? {}) === canonical(news.assetsHashes ?? {}) &&
    olds.zoneId === news.zoneId;
  if (!sameBase) return () => false;
  const before = knownTenants(olds);
  const after = knownTenants(news);
  return (name) => typeof after?.[name] === "string" && after[name] === before?.[name];
}

/** Whether two `defaults` (text or object) are the same. */
function sameText(a: unknown, b: unknown): boolean {
  return a === b || (typeof a !== "string" && typeof b !== "string" && canonical(a) === canonical(b));
}

export function releasedNames(specs: FleetSpecs): Set<string> {
  return new Set(Array.isArray(specs.release) ? specs.release.filter((n) => typeof n === "string") : []);
}

/** The plan from state: a tenant whose fingerprint moved (or drifted, or is unknown) is uploaded. */
export function planFromState(scripts: Record<string, TenantState>, specs: FleetSpecs, caches: ProviderCaches): FleetPlan {
  const plan: FleetPlan = { create: [], update: [], remove: [], release: [], unchanged: [], hostnames: [], fingerprints: {} };
  const effective = effectiveSpecs(specs, caches);
  const released = releasedNames(specs);
  for (const [name, spec] of Object.entries(effective)) {
    const print = fingerprint(spec, specs, caches);
    plan.fingerprints[name] = print;
    const old = scripts[name];
    if (!old) plan.create.push(name);
    else {
      const hostnamesMove = hostnamesChanged(old, hostnamesPrint(spec, specs.zoneId));
      if (hostnamesMove) plan.hostnames.push(name);
      if (print === undefined || print !== old.specHash || old.drifted) plan.update.push(name);
      else if (!hostnamesMove) plan.unchanged.push(name);
    }
  }
  if (knownTenants(specs) !== undefined) {
    for (const name of Object.keys(scripts)) {
      if (name in effective) continue;
      (released.has(name) ? plan.release : plan.remove).push(name);
    }
  }
  return plan;
}
