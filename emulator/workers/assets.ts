/**
 * Static assets of a Worker, uploaded the three-step way Cloudflare documents (Workers docs, "Direct
 * Uploads", SOURCES.md §13): an upload session registers a manifest (path → {hash, size}) and answers
 * the hashes the account lacks in `buckets` with an upload token; each bucket is POSTed with that
 * token as bearer; the last one answers a completion token, which a script upload redeems in
 * `metadata.assets.jwt`. Files are kept per account by hash, so an unchanged file is never asked for again.
 */
import { randomBytes } from "node:crypto";
import { ApiError, errors } from "../envelope";

/** [CF-DOCS limits, paid plan] Files per Worker version. */
export const MAX_ASSET_FILES = 100_000;
/** [CF-DOCS limits] Size of one asset file. */
export const MAX_ASSET_FILE_BYTES = 25 * 1024 * 1024;
/** [INF] Hashes per bucket in a session's answer (Cloudflare does not document its bucket size). */
export const ASSET_BUCKET_SIZE = 50;
/** [CF-DOCS direct upload] The completion token is valid for 1 hour; the emulator uses the same for upload tokens [INF]. */
export const ASSET_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface ManifestEntry {
  hash: string;
  size: number;
}
export type AssetManifest = Record<string, ManifestEntry>;

/** One stored file: its bytes (base64) and the Content-Type its upload part carried. */
export interface AssetBlob {
  content_base64: string;
  content_type: string | null;
}

interface UploadSession {
  manifest: AssetManifest;
  /** Hashes the session asked for and not yet received. */
  pending: string[];
  expires: number;
}

interface Completion {
  manifest: AssetManifest;
  expires: number;
}

/** What an account keeps for assets (plain JSON, persisted with the rest of the state). */
export interface AccountAssets {
  blobs: Record<string, AssetBlob>;
  sessions: Record<string, UploadSession>;
  completions: Record<string, Completion>;
}

/** A Worker's assets as stored with its version: the manifest and the `assets.config` it was uploaded with. */
export interface ScriptAssets {
  manifest: AssetManifest;
  config: Record<string, unknown>;
}

export function emptyAccountAssets(): AccountAssets {
  return { blobs: {}, sessions: {}, completions: {} };
}

function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** The manifest of a session request, validated: a non-empty map of `/path` → {hash, size} within the limits. */
export function readManifest(body: Record<string, unknown>): AssetManifest {
  const manifest = body.manifest;
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    throw errors.invalidRequestBody("'manifest' must be an object mapping each path to { hash, size }");
  }
  const entries = Object.entries(manifest as Record<string, unknown>);
  if (entries.length > MAX_ASSET_FILES) {
    throw errors.invalidRequestBody(`the manifest lists ${entries.length} files; a Worker version may have at most ${MAX_ASSET_FILES}`);
  }
  for (const [path, entry] of entries) {
    const e = entry as Partial<ManifestEntry> | null;
    if (!path.startsWith("/")) throw errors.invalidRequestBody(`manifest path '${path}' must start with '/'`);
    if (!e || typeof e.hash !== "string" || e.hash === "" || typeof e.size !== "number" || !Number.isInteger(e.size) || e.size < 0) {
      throw errors.invalidRequestBody(`manifest entry '${path}' must be { hash: string, size: whole number of bytes }`);
    }
    if (e.size > MAX_ASSET_FILE_BYTES) {
      throw errors.invalidRequestBody(
        `manifest entry '${path}' is ${e.size} bytes; an asset file may be at most ${MAX_ASSET_FILE_BYTES} (25 MiB)`,
      );
    }
  }
  return manifest as AssetManifest;
}

/** Opens a session: the hashes the account lacks, in buckets; none missing → the token is already the completion token. */
export function openUploadSession(store: AccountAssets, manifest: AssetManifest, now = Date.now()): { jwt: string; buckets: string[][] } {
  const missing = [...new Set(Object.values(manifest).map((e) => e.hash))].filter((h) => !store.blobs[h]);
  const jwt = newToken();
  if (missing.length === 0) {
    store.completions[jwt] = { manifest, expires: now + ASSET_TOKEN_TTL_MS };
    return { jwt, buckets: [] };
  }
  store.sessions[jwt] = { manifest, pending: missing, expires: now + ASSET_TOKEN_TTL_MS };
  const buckets: string[][] = [];
  for (let i = 0; i < missing.length; i += ASSET_BUCKET_SIZE) buckets.push(missing.slice(i, i + ASSET_BUCKET_SIZE));
  return { jwt, buckets };
}

export interface UploadedFile {
  hash: string;
  /** The part's content: base64 of the file. */
  base64: string;
  contentType: string | null;
}

/**
 * Stores one bucket's files under the session `token`. Only hashes the session asked for are
 * accepted [INF: the refusal's code]; when none is left pending, the answer carries the completion token.
 */
export function receiveBucket(
  store: AccountAssets,
  token: string | undefined,
  files: UploadedFile[],
  now = Date.now(),
): { complete: boolean; jwt?: string } {
  const session = token === undefined ? undefined : store.sessions[token];
  if (!session || session.expires < now) throw errors.authenticationError();
  if (files.length === 0) throw errors.invalidRequestBody("no files: each part must be named by a hash the upload session asked for");
  for (const file of files) {
    if (!session.pending.includes(file.hash)) {
      throw errors.invalidRequestBody(`hash '${file.hash}' was not asked for by this upload session`);
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file.base64))
      throw errors.invalidRequestBody(`the content of '${file.hash}' is not base64 (?base64=true)`);
    if (Buffer.byteLength(file.base64, "base64") > MAX_ASSET_FILE_BYTES) {
      throw errors.invalidRequestBody(`file '${file.hash}' is over ${MAX_ASSET_FILE_BYTES} bytes (25 MiB), the limit for one asset`);
    }
  }
  for (const file of files) {
    store.blobs[file.hash] = { content_base64: file.base64, content_type: file.contentType };
    session.pending = session.pending.filter((h) => h !== file.hash);
  }
  if (session.pending.length > 0) return { complete: false };
  delete store.sessions[token!];
  const jwt = newToken();
  store.completions[jwt] = { manifest: session.manifest, expires: now + ASSET_TOKEN_TTL_MS };
  return { complete: true, jwt };
}

/**
 * A script upload's `assets.jwt`: the manifest it completes. An unknown or expired token is refused
 * [INF: code]; a valid one may be redeemed again within its hour, so a retried upload still succeeds [INF].
 */
export function redeemCompletion(store: AccountAssets, jwt: string, now = Date.now()): AssetManifest {
  const completion = store.completions[jwt];
  if (!completion || completion.expires < now) {
    throw new ApiError(
      400,
      10021,
      "assets.jwt is not a valid completion token: upload the manifest's files again (tokens are valid for 1 hour)",
    );
  }
  return completion.manifest;
}

const HTML_HANDLING = ["auto-trailing-slash", "force-trailing-slash", "drop-trailing-slash", "none"];
const NOT_FOUND_HANDLING = ["none", "404-page", "single-page-application"];

/** `metadata.assets.config` checked against the SDK's type (ScriptUpdateParams.Metadata.Assets.Config); 400 / 10021 otherwise [INF: code]. */
export function validateAssetsConfig(config: unknown): Record<string, unknown> {
  if (config === undefined) return {};
  if (config === null || typeof config !== "object" || Array.isArray(config))
    throw errors.workerValidation("assets.config must be an object");
  const c = config as Record<string, unknown>;
  const oneOf = (field: string, allowed: string[]) => {
    if (c[field] !== undefined && !allowed.includes(c[field] as string)) {
      throw errors.workerValidation(`assets.config.${field} must be one of ${allowed.join(", ")}`);
    }
  };
  oneOf("html_handling", HTML_HANDLING);
  oneOf("not_found_handling", NOT_FOUND_HANDLING);
  const first = c.run_worker_first;
  if (first !== undefined && typeof first !== "boolean") {
    const rules = Array.isArray(first) ? first : undefined;
    if (
      !rules ||
      !rules.every((r) => typeof r === "string" && (r.startsWith("/") || r.startsWith("!/"))) ||
      !rules.some((r) => !(r as string).startsWith("!"))
    ) {
      throw errors.workerValidation(
        "assets.config.run_worker_first must be true, false or a list of rules starting with '/' or '!/', at least one of them not negative",
      );
    }
  }
  for (const file of ["_headers", "_redirects"]) {
    if (c[file] !== undefined && typeof c[file] !== "string")
      throw errors.workerValidation(`assets.config.${file} must be the file's contents as a string`);
  }
  return structuredClone(c);
}
