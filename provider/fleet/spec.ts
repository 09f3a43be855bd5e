/**
 * A fleet's tenants as scripts: each tenant's spec merged over the fleet's `defaults`, and the
 * fingerprint that says whether a tenant's upload would differ from the last one. The fingerprint
 * stands for everything one upload sends (code by its hash, configuration, bindings, secret values
 * included), so state keeps 16 hex characters per tenant instead of its configuration twice.
 */
import { createHash } from "node:crypto";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { inlineScript } from "../workers/bundle";
import { hasNodejsCompat, type CodeInputs } from "../workers/code";
import type { WorkerConfigInputs } from "../workers/config";
import { UPLOAD_KEYS } from "../workers/script-diff";

/** One tenant's code and configuration: what a NamespacedWorkerScript takes, minus where it lives. */
export interface TenantSpec extends CodeInputs, WorkerConfigInputs {}

/** The properties of a spec, in the order diffs name them. */
export const SPEC_KEYS = ["content", "entrypoint", ...UPLOAD_KEYS.filter((k) => k !== "contentHash")] as const;

/** Maps merged key by key (a tenant's binding of the same name wins); any other property: the tenant's wins whole. */
const MERGED_MAPS = ["bindings", "secretBindings"] as const;

/** The tenant's spec over the defaults. A tenant giving its own code takes none of the defaults' code. */
export function mergedSpec(defaults: TenantSpec | undefined, tenant: TenantSpec): TenantSpec {
  const base: Record<string, unknown> = { ...(defaults ?? {}) };
  if (tenant.content !== undefined || tenant.entrypoint !== undefined) {
    delete base.content;
    delete base.entrypoint;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(tenant)) if (value !== undefined && value !== null) merged[key] = value;
  for (const key of MERGED_MAPS) {
    const d = base[key];
    const t = (tenant as Record<string, unknown>)[key];
    if (isPlainMap(d) && isPlainMap(t)) merged[key] = { ...d, ...t };
  }
  for (const [key, value] of Object.entries(merged)) if (value === null || value === undefined) delete merged[key];
  return merged as TenantSpec;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknownValue(value);
}

/** The key an entrypoint's bundle is known by in `contentHashes` (its flags change what is bundled). */
export function codeKey(spec: CodeInputs): string | undefined {
  if (spec.entrypoint === undefined || spec.content !== undefined) return undefined;
  return hasNodejsCompat(spec.compatibilityFlags) ? `${spec.entrypoint} (nodejs_compat)` : spec.entrypoint;
}

const inlineHashes = new Map<string, string>();

/** The code's hash: inline content hashed here (once per text), an entrypoint's from `contentHashes` (built by check). */
export function contentHashOf(spec: TenantSpec, contentHashes: Record<string, string> | undefined): string | undefined {
  if (spec.content !== undefined) {
    if (isUnknown(spec.content) || typeof spec.content !== "string") return undefined;
    let hash = inlineHashes.get(spec.content);
    if (hash === undefined) {
      hash = inlineScript(spec.content).contentHash;
      if (inlineHashes.size > 1024) inlineHashes.clear();
      inlineHashes.set(spec.content, hash);
    }
    return hash;
  }
  const key = codeKey(spec);
  return key === undefined || isUnknown(spec.compatibilityFlags) ? undefined : contentHashes?.[key];
}

/** Absent lists and maps are the same upload as empty ones (as for a NamespacedWorkerScript). */
const EMPTY_WHEN_ABSENT: Record<string, unknown> = { compatibilityFlags: [], tags: [], bindings: {}, secretBindings: {}, keepBindings: [] };

const collator = new Intl.Collator();
/** Keys JavaScript orders first, numerically, in any object (array indices). */
const INDEX_KEY = /^(0|[1-9]\d{0,9})$/;

/**
 * JSON with every object's keys in order: array-index keys numerically, then the rest by locale
 * order. Fingerprints in state were made with exactly this text, so it must not change; it is
 * written out (not a JSON.stringify replacer) because a fleet hashes ten thousand specs per step.
 */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((x) => (x === undefined || typeof x === "function" ? "null" : canonical(x))).join(",")}]`;
  let out = "";
  for (const [key, prefix] of keyOrder(Object.keys(value))) {
    const x = (value as Record<string, unknown>)[key];
    if (x === undefined || typeof x === "function") continue;
    out += `${out ? "," : ""}${prefix}${canonical(x)}`;
  }
  return `{${out}}`;
}

/** Each object shape's keys in canonical order with their JSON text: ten thousand specs share a handful of shapes. */
const shapes = new Map<string, Array<[string, string]>>();

function keyOrder(keys: string[]): Array<[string, string]> {
  const shape = keys.join("\u0000");
  let order = shapes.get(shape);
  if (order === undefined) {
    const isIndex = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295;
    const sorted = [...keys.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isIndex(k)).sort(collator.compare)];
    order = sorted.map((k) => [k, `${JSON.stringify(k)}:`]);
    if (shapes.size >= 10_000) shapes.clear();
    shapes.set(shape, order);
  }
  return order;
}

/** A spec's properties in comparable form: code as its hash, absent lists as empty ones. */
function comparable(spec: TenantSpec, contentHash: string): Record<string, string> {
  const out: Record<string, string> = { code: contentHash };
  for (const key of UPLOAD_KEYS) {
    if (key === "contentHash") continue;
    const value = uploaded(spec, key);
    if (value !== undefined) out[key] = canonical(value);
  }
  return out;
}

/** 16 hex characters of sha256 over the upload a spec makes; undefined while any of it is unknown. */
export function fingerprint(spec: TenantSpec, contentHashes: Record<string, string> | undefined): string | undefined {
  if (isUnknown(spec)) return undefined;
  const contentHash = contentHashOf(spec, contentHashes);
  if (contentHash === undefined) return undefined;
  return createHash("sha256").update(canonical(comparable(spec, contentHash))).digest("hex").slice(0, 16);
}

/**
 * The properties whose upload differs between two specs, as paths: "content" for the code, a key
 * inside an object-valued property as `bindings.PLAN` or `limits.cpuMs`, any other property by its
 * name; all of them if either spec is unknown. Names only: a path never carries a value.
 */
export function changedProperties(
  old: TenantSpec,
  oldHashes: Record<string, string> | undefined,
  now: TenantSpec,
  nowHashes: Record<string, string> | undefined,
): string[] {
  const oldCode = contentHashOf(old, oldHashes);
  const nowCode = contentHashOf(now, nowHashes);
  if (oldCode === undefined || nowCode === undefined || isUnknown(now)) {
    const unknown = SPEC_KEYS.filter((k) => isUnknown((now as Record<string, unknown>)[k]));
    return unknown.length > 0 ? unknown : ["content"];
  }
  const paths = oldCode === nowCode ? [] : ["content"];
  for (const key of UPLOAD_KEYS) {
    if (key === "contentHash") continue;
    const a = uploaded(old, key);
    const b = uploaded(now, key);
    if (canonical(a) === canonical(b)) continue;
    if (!isPlainMap(a) || !isPlainMap(b)) paths.push(key);
    else for (const inner of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) if (canonical(a[inner]) !== canonical(b[inner])) paths.push(`${key}.${inner}`);
  }
  return paths;
}

/** A property as its upload sends it: an absent list or map as an empty one. */
function uploaded(spec: TenantSpec, key: string): unknown {
  return (spec as Record<string, unknown>)[key] ?? EMPTY_WHEN_ABSENT[key];
}
