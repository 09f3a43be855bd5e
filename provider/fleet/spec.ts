/**
 * A fleet's tenants as scripts: each tenant's spec merged over the fleet's `defaults`, and the
 * fingerprint that says whether a tenant's upload would differ from the last one. The fingerprint
 * stands for everything one upload sends (code by its hash, configuration, bindings, secret values
 * included), so state keeps 16 hex characters per tenant instead of its configuration twice.
 */
import { createHash } from "node:crypto";
import type { ProviderCaches } from "../caches";
import { canonical } from "../framework/canonical-json";
import { BoundedMemo } from "../framework/memo";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { inlineScript } from "../workers/bundle";
import { hasNodejsCompat, type CodeInputs } from "../workers/code";
import { EMPTY_WHEN_ABSENT, UPLOAD_KEYS } from "../workers/script-diff";
import type { CustomHostnameSpec } from "../hostnames/rules";
import type { WorkerSpec } from "../workers/worker-spec";

/** One tenant's code, configuration and assets: what a NamespacedWorkerScript takes, minus where it lives; and its customers' domains. */
export interface TenantSpec extends WorkerSpec {
  /** Custom hostnames of the fleet's zone that come and go with the tenant (tenant-hostnames.ts); never part of an upload. */
  hostnames?: CustomHostnameSpec[];
}

/** The properties of a spec, in the order diffs name them. */
export const SPEC_KEYS = ["content", "entrypoint", ...UPLOAD_KEYS.filter((k) => k !== "contentHash" && k !== "assetsHash")] as const;

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
  return merged;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknownValue(value);
}

/** The key an entrypoint's bundle is known by in `contentHashes` (its flags change what is bundled). */
export function codeKey(spec: CodeInputs): string | undefined {
  if (spec.entrypoint === undefined || spec.content !== undefined) return undefined;
  return hasNodejsCompat(spec.compatibilityFlags) ? `${spec.entrypoint} (nodejs_compat)` : spec.entrypoint;
}

/** The content hash per inline text, hashed once however many tenants share it. */
export type InlineHashes = BoundedMemo<string, string>;

export function inlineHashes(): InlineHashes {
  return new BoundedMemo(1024);
}

/** The code's hash: inline content hashed here (once per text), an entrypoint's from `contentHashes` (built by check). */
export function contentHashOf(
  spec: TenantSpec,
  contentHashes: Record<string, string> | undefined,
  caches: ProviderCaches,
): string | undefined {
  if (spec.content !== undefined) {
    if (isUnknown(spec.content) || typeof spec.content !== "string") return undefined;
    return caches.inlineHashes.of(spec.content, (content) => inlineScript(content).contentHash);
  }
  const key = codeKey(spec);
  return key === undefined || isUnknown(spec.compatibilityFlags) ? undefined : contentHashes?.[key];
}

/** What check learned by building and reading: each entrypoint's bundle hash, each asset directory's manifest hash. */
export interface BuiltHashes {
  /** sha256 of each entrypoint's bundle, by code key (codeKey). */
  contentHashes?: Record<string, string>;
  /** sha256 of each asset directory's manifest, by the directory as given. */
  assetsHashes?: Record<string, string>;
}

/** The manifest hash of a tenant's assets; undefined while unknown, "" for a tenant without assets. */
export function assetsHashOf(spec: TenantSpec, assetsHashes: Record<string, string> | undefined): string | undefined {
  if (spec.assets === undefined) return "";
  const directory = isUnknownValue(spec.assets) ? undefined : spec.assets.directory;
  return typeof directory === "string" && !isUnknown(directory) ? assetsHashes?.[directory] : undefined;
}

/** A spec's properties in comparable form: code as its hash, assets with their manifest's hash, absent lists as empty ones. */
function comparable(spec: TenantSpec, contentHash: string, assetsHash: string, caches: ProviderCaches): Record<string, string> {
  const out: Record<string, string> = { code: contentHash };
  for (const key of UPLOAD_KEYS) {
    if (key === "contentHash" || key === "assetsHash") continue;
    const value = uploaded(spec, key);
    if (value !== undefined) out[key] = canonical(value, caches.keyOrders);
  }
  if (assetsHash !== "") out.assetsHash = assetsHash; // only tenants with assets: older fingerprints stay as they were
  return out;
}

/** Both hashes of a known spec, or undefined while either is unknown. */
function builtHashesOf(spec: TenantSpec, hashes: BuiltHashes, caches: ProviderCaches): { code: string; assets: string } | undefined {
  if (isUnknown(spec)) return undefined;
  const code = contentHashOf(spec, hashes.contentHashes, caches);
  const assets = assetsHashOf(spec, hashes.assetsHashes);
  return code === undefined || assets === undefined ? undefined : { code, assets };
}

/** 16 hex characters of sha256 over the upload a spec makes; undefined while any of it is unknown. */
export function fingerprint(spec: TenantSpec, hashes: BuiltHashes, caches: ProviderCaches): string | undefined {
  const built = builtHashesOf(spec, hashes, caches);
  if (built === undefined) return undefined;
  return createHash("sha256")
    .update(canonical(comparable(spec, built.code, built.assets, caches), caches.keyOrders))
    .digest("hex")
    .slice(0, 16);
}

/**
 * The properties whose upload differs between two specs, as paths: "content" for the code,
 * "assets" for the files, a key inside an object-valued property as `bindings.PLAN` or
 * `limits.cpuMs`, any other property by its name; all of them if either spec is unknown. Names
 * only: a path never carries a value.
 */
export function changedProperties(
  old: TenantSpec,
  oldHashes: BuiltHashes,
  now: TenantSpec,
  nowHashes: BuiltHashes,
  caches: ProviderCaches,
): string[] {
  const before = builtHashesOf(old, oldHashes, caches);
  const after = builtHashesOf(now, nowHashes, caches);
  if (before === undefined || after === undefined) {
    const unknown = SPEC_KEYS.filter((k) => isUnknown((now as Record<string, unknown>)[k]));
    return unknown.length > 0 ? unknown : ["content"];
  }
  const paths = before.code === after.code ? [] : ["content"];
  for (const key of UPLOAD_KEYS) {
    if (key === "contentHash" || key === "assetsHash") continue;
    const a = uploaded(old, key);
    const b = uploaded(now, key);
    if (canonical(a, caches.keyOrders) === canonical(b, caches.keyOrders)) continue;
    if (!isPlainMap(a) || !isPlainMap(b) || WHOLE_KEYS.has(key)) paths.push(key);
    else
      for (const inner of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
        if (canonical(a[inner], caches.keyOrders) !== canonical(b[inner], caches.keyOrders)) paths.push(`${key}.${inner}`);
  }
  if (before.assets !== after.assets && !paths.some((p) => p === "assets" || p.startsWith("assets."))) paths.push("assets");
  return paths;
}

/** Properties named whole in a change: their parts mean nothing apart (a migration step, the assets' directory and config). */
const WHOLE_KEYS: ReadonlySet<string> = new Set(["migrations", "assets"]);

/** A property as its upload sends it: an absent list or map as an empty one. */
function uploaded(spec: TenantSpec, key: string): unknown {
  return (spec as Record<string, unknown>)[key] ?? EMPTY_WHEN_ABSENT[key];
}
