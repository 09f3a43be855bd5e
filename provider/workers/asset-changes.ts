/**
 * What `pulumi preview` says about a Worker's static assets: which files changed since the last
 * `up`, in one line (`assetsChanges`, e.g. "1 of 3 files changed: /about.html").
 *
 * `check` sees only the previous inputs, so it keeps, beside `assetsHash`, a compact manifest
 * (`assetsManifest`): each path with the first 8 hex digits of its file hash, sorted, deflated and
 * base64-encoded. A 20,000-file site keeps a few hundred KB, not its files. A changed file whose
 * short hash collides with the old one (1 in 2^32) would be left out of the summary only: the
 * upload compares the full hashes.
 */
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { listed as names } from "../framework/summary";
import type { AssetDirectory } from "./assets";

const VERSION = "v1:";
const SHORT_HASH = 8;
/** `_headers` and `_redirects` are kept under their names (no leading '/', so never a file's path). */
const CONFIG_ENTRIES = ["_headers", "_redirects"] as const;

const shortSha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, SHORT_HASH);

/** The directory's compact manifest, for state. */
export function compactManifest(directory: AssetDirectory): string {
  const lines = directory.files.map((f) => `${f.path}\t${f.hash.slice(0, SHORT_HASH)}`);
  if (directory.headers !== undefined) lines.push(`_headers\t${shortSha(directory.headers)}`);
  if (directory.redirects !== undefined) lines.push(`_redirects\t${shortSha(directory.redirects)}`);
  return VERSION + deflateRawSync(Buffer.from(lines.join("\n")), { level: 9 }).toString("base64");
}

/** The manifest back as path → short hash; undefined when it is not one this module wrote. */
export function readCompactManifest(compact: unknown): Map<string, string> | undefined {
  if (typeof compact !== "string" || !compact.startsWith(VERSION)) return undefined;
  try {
    const text = inflateRawSync(Buffer.from(compact.slice(VERSION.length), "base64")).toString();
    const entries = text === "" ? [] : text.split("\n").map((line) => line.split("\t") as [string, string]);
    return new Map(entries);
  } catch {
    return undefined;
  }
}

/**
 * The one-line summary of the files that change from `previous` (the last compact manifest, if
 * any) to `current`: changed and added files count as "changed", removed ones are named apart.
 * `deployed`: the script already has assets, uploaded before state kept a manifest.
 */
export function describeAssetChanges(previous: unknown, current: string, deployed = false): string {
  const after = readCompactManifest(current) ?? new Map<string, string>();
  const paths = [...after.keys()].filter(isFilePath);
  const files = `${paths.length} file${paths.length === 1 ? "" : "s"}`;
  const before = readCompactManifest(previous);
  if (!before) return deployed ? `${files}, compared at up (state keeps no earlier manifest)` : `${files} to upload`;
  const changed = paths.filter((p) => before.get(p) !== after.get(p));
  const removed = [...before.keys()].filter((p) => isFilePath(p) && !after.has(p));
  const config = CONFIG_ENTRIES.filter((name) => before.get(name) !== after.get(name));
  const parts = [
    changed.length > 0 && `${changed.length} of ${files} changed: ${names(changed)}`,
    removed.length > 0 && `${removed.length} removed: ${names(removed)}`,
    config.length > 0 && `${config.join(" and ")} changed`,
  ].filter(Boolean);
  return parts.length === 0 ? `no changes to ${files}` : parts.join("; ");
}

const isFilePath = (entry: string) => entry.startsWith("/");
