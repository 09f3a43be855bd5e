/**
 * A Worker's static assets on the provider side: the inputs (`assets: { directory, config }`), the
 * directory read into Cloudflare's manifest (path → {hash, size}), the limits `check` enforces, and
 * `assets.config` in Cloudflare's spelling for the upload metadata.
 *
 * Each file's hash is wrangler's (workers-sdk, wrangler/src/pages/hash.ts): BLAKE3 of the file's
 * base64 text followed by its extension, hex, first 32 characters. The manifest's own hash (sha256
 * of the sorted manifest and the `_headers`/`_redirects` files) is what state keeps and diff compares.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { blake3 } from "@noble/hashes/blake3";
import type { ScriptUpdateParams } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import { isUnknown, isUnknownValue } from "../framework/unknowns";

type CloudflareAssets = NonNullable<ScriptUpdateParams.Metadata["assets"]>;
type CloudflareAssetsConfig = NonNullable<CloudflareAssets["config"]>;
export type UploadManifest = Record<string, { hash: string; size: number }>;

/** Cloudflare's limits (Workers docs, Platform → Limits; paid plan, which Workers for Platforms needs). */
export const MAX_ASSET_FILES = 100_000;
export const MAX_ASSET_FILE_BYTES = 25 * 1024 * 1024;

export const HTML_HANDLING = ["auto-trailing-slash", "force-trailing-slash", "drop-trailing-slash", "none"] as const;
export const NOT_FOUND_HANDLING = ["none", "404-page", "single-page-application"] as const;

/** Files of the directory that configure serving instead of being served (as wrangler treats them). */
const CONFIG_FILES = { _headers: "headers", _redirects: "redirects" } as const;
const IGNORED_FILES: ReadonlySet<string> = new Set([".assetsignore", ...Object.keys(CONFIG_FILES)]);

export interface AssetsConfigInputs {
  htmlHandling?: CloudflareAssetsConfig["html_handling"];
  notFoundHandling?: CloudflareAssetsConfig["not_found_handling"];
  runWorkerFirst?: boolean | string[];
  headers?: string;
  redirects?: string;
}

export interface AssetsInputs {
  directory: string;
  config?: AssetsConfigInputs;
}

export interface AssetFile {
  /** The manifest path: '/' + the path inside the directory, with '/' separators. */
  path: string;
  absolute: string;
  hash: string;
  size: number;
}

export interface AssetDirectory {
  files: AssetFile[];
  /** Contents of `_headers` / `_redirects` at the directory's root, when present. */
  headers?: string;
  redirects?: string;
  /** sha256 over the manifest and those two files: what state keeps. */
  manifestHash: string;
}

export class AssetsError extends Error {}

/** wrangler's asset hash: BLAKE3(base64(content) + extension) in hex, first 32 characters. */
export function assetHash(content: Uint8Array, fileName: string): string {
  const extension = path.extname(fileName).slice(1);
  const digest = blake3(Buffer.from(content).toString("base64") + extension);
  return Buffer.from(digest).toString("hex").slice(0, 32);
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(root, absolute, out);
    else if (entry.isFile() && !(dir === root && IGNORED_FILES.has(entry.name))) out.push(absolute);
  }
}

/**
 * Reads the directory (relative to `baseDir`, the Pulumi project) into its manifest, enforcing
 * Cloudflare's limits; problems are AssetsErrors naming `assets.directory` and the rule.
 */
export function readAssetDirectory(directory: string, baseDir: string = process.cwd()): AssetDirectory {
  const root = path.resolve(baseDir, directory);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new AssetsError(`assets.directory '${directory}' is not a directory (resolved to ${root})`);
  }
  const paths: string[] = [];
  walk(root, root, paths);
  if (paths.length > MAX_ASSET_FILES) {
    throw new AssetsError(
      `assets.directory '${directory}' has ${paths.length} files; Cloudflare accepts at most ${MAX_ASSET_FILES} per Worker version`,
    );
  }
  const files: AssetFile[] = [];
  for (const absolute of paths.sort()) {
    const size = fs.statSync(absolute).size;
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (size > MAX_ASSET_FILE_BYTES) {
      throw new AssetsError(
        `assets.directory '${directory}': '${relative}' is ${size} bytes; Cloudflare accepts files of at most ${MAX_ASSET_FILE_BYTES} bytes (25 MiB)`,
      );
    }
    files.push({ path: `/${relative}`, absolute, size, hash: assetHash(fs.readFileSync(absolute), absolute) });
  }
  const result: AssetDirectory = { files, manifestHash: "" };
  for (const [file, key] of Object.entries(CONFIG_FILES)) {
    const absolute = path.join(root, file);
    if (fs.existsSync(absolute)) result[key] = fs.readFileSync(absolute, "utf8");
  }
  const manifest = files.map((f) => [f.path, f.hash, f.size]);
  result.manifestHash = createHash("sha256")
    .update(JSON.stringify([manifest, result.headers ?? null, result.redirects ?? null]))
    .digest("hex");
  return result;
}

export function manifestOf(directory: AssetDirectory): UploadManifest {
  return Object.fromEntries(directory.files.map((f) => [f.path, { hash: f.hash, size: f.size }]));
}

/** The rules on `assets` that need no file access; a value unknown at preview is checked at `up`. */
export function assetsConfigProblems(assets: unknown): string[] {
  if (assets === undefined || isUnknown(assets)) return [];
  if (assets === null || typeof assets !== "object" || Array.isArray(assets))
    return ['assets must be an object like { directory: "./public" }'];
  const { directory, config } = assets as Record<string, unknown>;
  const problems: string[] = [];
  if (!isUnknown(directory) && (typeof directory !== "string" || directory === ""))
    problems.push('assets.directory is required and must be a non-empty path, e.g. "./public"');
  if (config === undefined || isUnknown(config)) return problems;
  if (config === null || typeof config !== "object" || Array.isArray(config)) return [...problems, "assets.config must be an object"];
  const c = config as Record<string, unknown>;
  const known = (key: string) => c[key] !== undefined && !isUnknownValue(c[key]);
  if (known("htmlHandling") && !(HTML_HANDLING as readonly unknown[]).includes(c.htmlHandling)) {
    problems.push(`assets.config.htmlHandling must be one of ${HTML_HANDLING.join(", ")}, got ${JSON.stringify(c.htmlHandling)}`);
  }
  if (known("notFoundHandling") && !(NOT_FOUND_HANDLING as readonly unknown[]).includes(c.notFoundHandling)) {
    problems.push(
      `assets.config.notFoundHandling must be one of ${NOT_FOUND_HANDLING.join(", ")}, got ${JSON.stringify(c.notFoundHandling)}`,
    );
  }
  if (known("runWorkerFirst") && typeof c.runWorkerFirst !== "boolean") {
    const rules = c.runWorkerFirst;
    const valid =
      Array.isArray(rules) && rules.every((r) => typeof r === "string" && /^!?\//.test(r)) && rules.some((r) => !String(r).startsWith("!"));
    if (!valid)
      problems.push(
        "assets.config.runWorkerFirst must be true, false or path rules starting with '/' or '!/' (at least one not negated), e.g. [\"/api/*\"]",
      );
  }
  for (const key of ["headers", "redirects"]) {
    if (known(key) && typeof c[key] !== "string") problems.push(`assets.config.${key} must be the contents of a _${key} file, as a string`);
  }
  return problems;
}

/** `assets.config` in Cloudflare's spelling; `_headers`/`_redirects` from the directory unless the config gives them. */
export function cloudflareAssetsConfig(config: AssetsConfigInputs | undefined, directory: AssetDirectory): CloudflareAssetsConfig {
  const out: CloudflareAssetsConfig = {};
  if (config?.htmlHandling !== undefined) out.html_handling = config.htmlHandling;
  if (config?.notFoundHandling !== undefined) out.not_found_handling = config.notFoundHandling;
  if (config?.runWorkerFirst !== undefined) out.run_worker_first = config.runWorkerFirst;
  const headers = config?.headers ?? directory.headers;
  const redirects = config?.redirects ?? directory.redirects;
  if (headers !== undefined) out._headers = headers;
  if (redirects !== undefined) out._redirects = redirects;
  return out;
}

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  json: "application/json",
  txt: "text/plain",
  xml: "application/xml",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  wasm: "application/wasm",
  pdf: "application/pdf",
  map: "application/json",
};

/** The part's Content-Type, which Cloudflare serves the file with; `application/null` (documented) sends none. */
export function assetContentType(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).slice(1).toLowerCase()] ?? "application/null";
}
