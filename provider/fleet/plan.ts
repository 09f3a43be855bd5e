/**
 * What an `up` does to each tenant of a fleet: create, update, delete, release (forget without
 * deleting), or nothing. `diff` and `update` plan from state (a fingerprint per tenant); `check`
 * describes the same plan from the previous inputs, which also name the properties that changed.
 */
import { UNKNOWN, isUnknownValue } from "../framework/unknowns";
import { listed as names } from "../framework/summary";
import { canonical } from "../framework/canonical-json";
import { describeAssetChanges } from "../workers/asset-changes";
import { BuiltHashes, TenantSpec, changedProperties, fingerprint, mergedSpec } from "./spec";
import type { TenantState } from "./states";
import { specOfText, withSecretsApart } from "./packed-spec";
import { tenantSecretsOf } from "./tenant-secrets";

export type { TenantState } from "./states";

/** The fleet's inputs a plan reads. */
export interface FleetSpecs extends BuiltHashes {
  /** Each asset directory's compact manifest (../workers/asset-changes.ts), set by check: what the next preview compares. */
  assetsManifests?: Record<string, string>;
  /** Each tenant's spec, or its JSON text (tenantSpecOf). */
  tenants?: Record<string, TenantSpec | string>;
  /** The spec every tenant shares, or its JSON text. */
  defaults?: TenantSpec | string;
  /** The secret bindings of tenants whose text keeps them apart, as one text (tenant-secrets.ts). */
  tenantSecrets?: string;
  release?: string[];
}

export interface FleetPlan {
  create: string[];
  update: string[];
  remove: string[];
  /** Leaving the fleet without being deleted (moved to a standalone resource). */
  release: string[];
  unchanged: string[];
  /** The new fingerprint of each planned tenant; absent while its spec is unknown. */
  fingerprints: Record<string, string | undefined>;
}

/** The tenants map as far as it is known; undefined when the whole map is still unknown. */
export function knownTenants(specs: FleetSpecs): Record<string, TenantSpec | string> | undefined {
  return specs.tenants === undefined || isUnknownValue(specs.tenants) ? undefined : specs.tenants;
}

/**
 * One tenant's spec as the sdk registers it: JSON text once every part of it is known (one string
 * crosses the engine's Struct encoding where a spec's nested values would cost ten: at ten thousand
 * tenants, seconds per command), in which a binding given as a string is a plain text binding; the
 * spec object as given otherwise. Text that is not a JSON object is returned as is, for check to refuse.
 */
export function tenantSpecOf(value: unknown): TenantSpec {
  if (typeof value !== "string" || isUnknownValue(value)) return value as TenantSpec;
  // One command's check and diff read the same ten thousand texts several times; nothing mutates a parsed spec.
  let parsed = parsedSpecs.get(value);
  if (parsed === undefined) {
    parsed = specOfText(value);
    if (parsedSpecs.size >= 50_000) parsedSpecs.clear();
    parsedSpecs.set(value, parsed);
  }
  return parsed;
}

const parsedSpecs = new Map<string, TenantSpec>();

/** Each tenant's merged spec (an unknown tenant stays the unknown sentinel). */
export function effectiveSpecs(specs: FleetSpecs): Record<string, TenantSpec> {
  const out: Record<string, TenantSpec> = {};
  // Defaults still unknown as a whole: so is every tenant merged over them.
  const defaults = specs.defaults === undefined ? undefined : tenantSpecOf(specs.defaults);
  const defaultsUnknown = defaults !== undefined && isUnknownValue(defaults);
  const secrets = tenantSecretsOf(specs.tenantSecrets);
  for (const [name, given] of Object.entries(knownTenants(specs) ?? {})) {
    const tenant = withSecretsApart(tenantSpecOf(given), name, secrets);
    // Not an object (nor unknown): kept as given, for check to refuse.
    const mergeable = tenant !== null && typeof tenant === "object" && !Array.isArray(tenant) && !isUnknownValue(tenant);
    out[name] = defaultsUnknown ? (UNKNOWN as TenantSpec) : mergeable ? mergedSpec(defaults, tenant) : tenant;
  }
  return out;
}

function releasedNames(specs: FleetSpecs): Set<string> {
  return new Set(Array.isArray(specs.release) ? specs.release.filter((n) => typeof n === "string") : []);
}

/** The plan from state: a tenant whose fingerprint moved (or drifted, or is unknown) is uploaded. */
export function planFromState(scripts: Record<string, TenantState>, specs: FleetSpecs): FleetPlan {
  const plan: FleetPlan = { create: [], update: [], remove: [], release: [], unchanged: [], fingerprints: {} };
  const effective = effectiveSpecs(specs);
  const released = releasedNames(specs);
  for (const [name, spec] of Object.entries(effective)) {
    const print = fingerprint(spec, specs);
    plan.fingerprints[name] = print;
    const old = scripts[name];
    if (!old) plan.create.push(name);
    else if (print === undefined || print !== old.specHash || old.drifted) plan.update.push(name);
    else plan.unchanged.push(name);
  }
  if (knownTenants(specs) !== undefined) {
    for (const name of Object.keys(scripts)) {
      if (name in effective) continue;
      (released.has(name) ? plan.release : plan.remove).push(name);
    }
  }
  return plan;
}

/** The one-line summary of what changes from the previous inputs to these (what `check` records for preview to show). */
export function describeChanges(olds: FleetSpecs | undefined, news: FleetSpecs): string {
  const now = knownTenants(news);
  if (now === undefined) return "tenants unknown until up";
  const before = olds ? effectiveSpecs(olds) : {};
  const after = effectiveSpecs(news);
  const released = releasedNames(news);
  const created: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  const kept: string[] = [];
  // The same text over the same defaults and code hashes is the same tenant: no need to compare its properties.
  const sameBase =
    olds !== undefined &&
    sameText(olds.defaults, news.defaults) &&
    olds.tenantSecrets === news.tenantSecrets &&
    canonical(olds.contentHashes ?? {}) === canonical(news.contentHashes ?? {}) &&
    canonical(olds.assetsHashes ?? {}) === canonical(news.assetsHashes ?? {});
  for (const [name, spec] of Object.entries(after)) {
    const old = before[name];
    if (!old) created.push(name);
    else if (sameBase && typeof now[name] === "string" && now[name] === olds?.tenants?.[name]) continue;
    else {
      const props = changedProperties(old, olds ?? {}, spec, news).map((p) => (p === "assets" ? `assets: ${assetChangesOf(old, olds, spec, news)}` : p));
      if (props.length > 0) updated.push(`${name} (${props.join(", ")})`);
    }
  }
  for (const name of Object.keys(before)) if (!(name in after)) (released.has(name) ? kept : removed).push(name);
  const parts = [
    created.length && `${created.length} to create: ${names(created)}`,
    updated.length && `${updated.length} to update: ${names(updated)}`,
    removed.length && `${removed.length} to delete: ${names(removed)}`,
    kept.length && `${kept.length} to release (kept in Cloudflare): ${names(kept)}`,
  ].filter(Boolean);
  return parts.length === 0 ? `no changes to ${Object.keys(after).length} tenants` : parts.join("; ");
}

/** Which of a tenant's files change, from the compact manifests check keeps per directory (as a NamespacedWorkerScript's `assetsChanges`). */
function assetChangesOf(old: TenantSpec, olds: FleetSpecs | undefined, now: TenantSpec, news: FleetSpecs): string {
  const directory = (spec: TenantSpec) => (spec.assets !== undefined && !isUnknownValue(spec.assets) ? spec.assets.directory : undefined);
  const current = directory(now);
  const manifest = current === undefined ? undefined : news.assetsManifests?.[current];
  if (manifest === undefined) return now.assets === undefined ? "removed" : "files unknown until up";
  const previous = directory(old);
  return describeAssetChanges(previous === undefined ? undefined : olds?.assetsManifests?.[previous], manifest);
}

/** Whether two `defaults` (text or object) are the same. */
function sameText(a: unknown, b: unknown): boolean {
  return a === b || (typeof a !== "string" && typeof b !== "string" && canonical(a) === canonical(b));
}
