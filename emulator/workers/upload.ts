/**
 * Reading a Worker upload — `PUT …/scripts/:s` (code + configuration) and `PUT …/scripts/:s/content`
 * (code only) — into a stored WorkerVersion, validated the way Cloudflare's API does. Independent
 * of where the script lives (dispatch namespace or the account).
 *
 * Accepted bodies (SOURCES.md §3.2):
 * - multipart/form-data with a `metadata` part (plain text field, a file part with
 *   application/json, or a file part named `metadata`) and one part per module; modules are keyed
 *   by filename, falling back to the part name;
 * - `application/javascript` / `text/javascript`: one service-worker script named `worker.js`,
 *   compiled to catch syntax errors (what the real API answered to the SDK v7 bug: a multipart body
 *   labelled application/javascript → "Uncaught SyntaxError: … at worker.js:1:4").
 * The SDK v7 bracket encoding (`metadata[main_module]`, `files[]`) is refused with 400 / 10021.
 */
import { createHash } from "node:crypto";
import { errors } from "../envelope";
import { type AssetManifest, type ScriptAssets, validateAssetsConfig } from "./assets";
import { resolveBindings, validateBindings } from "./bindings";
import { applyConfigFields, defaultConfig } from "./config";
import { detectHandlers } from "./handlers";
import { mediaType, multipartBoundary, MultipartError, parseMultipart, type FormPart } from "./multipart";
import { ALL_MODULE_CONTENT_TYPES, MAX_SCRIPT_SIZE_BYTES, MODULE_CONTENT_TYPES } from "./rules";
import { withoutSecretValues } from "./secrets";
import { classicScriptSyntaxError } from "./syntax";
import type { ModuleRecord, PartRecord, WorkerCode, WorkerUploadRecord, WorkerVersion } from "./types";

/** The module name a non-multipart (service-worker) upload gets. */
export const CLASSIC_SCRIPT_NAME = "worker.js";

export interface UploadRequest {
  /** The request's Content-Type header. */
  contentType: string | undefined;
  body: Buffer;
}

export interface UploadOptions {
  /** The script's current version (for `keep_bindings`, `inherit`, `keep_assets`, the migration tag). */
  previous?: WorkerVersion;
  /** `?bindings_inherit=` — "strict" refuses unresolvable `inherit` bindings instead of dropping them. */
  bindingsInherit?: string | null;
  /** Clock for the compatibility-date check (tests). */
  now?: Date;
  /** Whether metadata `annotations` are read (account-level Workers). */
  annotations?: boolean;
  /** Redeems `assets.jwt` for the manifest it completes (throws for an invalid token). */
  redeemAssets?: (jwt: string) => AssetManifest;
}

/** A full upload: validates everything and returns the new version (code + configuration + what was sent). */
export function parseWorkerUpload(req: UploadRequest, opts: UploadOptions = {}): WorkerVersion {
  const received = readBody(req);
  if (received.kind === "script") {
    checkSize([received.part]);
    const code = buildCode([received.part], { body_part: received.part.name });
    return { ...code, ...defaultConfig(), metadata: null, parts: [partRecord(received.part)] };
  }

  rejectBracketEncoding(received.parts, "metadata");
  const { metadata, moduleParts } = splitMetadata(received.parts, true);
  checkSize(moduleParts);
  const code = buildCode(moduleParts, metadata!);
  const previous = {
    migration_tag: opts.previous?.migration_tag,
    durable_object_classes: opts.previous?.durable_object_classes,
    durable_object_namespaces: opts.previous?.durable_object_namespaces,
  };
  const config = applyConfigFields(defaultConfig(), metadata!, { now: opts.now, annotations: opts.annotations, previous });
  const bindings = validateBindings(metadata!.bindings, { partNames: partNames(moduleParts) });
  const keep = validateKeepBindings(metadata!.keep_bindings);
  config.bindings = resolveBindings(bindings, opts.previous?.bindings, keep, opts.bindingsInherit === "strict");
  config.assets = assetsOf(metadata!, opts);
  config.has_assets = config.assets !== undefined;
  // Durable Objects outlive uploads: an upload without migrations keeps the tag and classes.
  if (config.migration_tag === undefined && opts.previous?.migration_tag !== undefined) config.migration_tag = opts.previous.migration_tag;
  if (config.durable_object_classes === undefined && opts.previous?.durable_object_classes !== undefined) {
    config.durable_object_classes = [...opts.previous.durable_object_classes];
  }
  if (config.durable_object_namespaces === undefined && opts.previous?.durable_object_namespaces !== undefined) {
    config.durable_object_namespaces = { ...opts.previous.durable_object_namespaces };
  }
  return { ...code, ...config, ...uploadRecord(metadata, received.parts) };
}

export interface ContentUploadRequest extends UploadRequest {
  /** `CF-WORKER-MAIN-MODULE-PART` header. */
  mainModulePart?: string;
  /** `CF-WORKER-BODY-PART` header. */
  bodyPart?: string;
}

/**
 * `PUT …/content`: code only. The entry point comes from the (optional) `metadata` part's
 * `main_module` / `body_part`, else from the CF-WORKER-MAIN-MODULE-PART / CF-WORKER-BODY-PART header.
 */
export function parseContentUpload(req: ContentUploadRequest): WorkerCode & WorkerUploadRecord {
  const received = readBody(req);
  if (received.kind === "script") {
    checkSize([received.part]);
    return { ...buildCode([received.part], { body_part: received.part.name }), metadata: null, parts: [partRecord(received.part)] };
  }
  rejectBracketEncoding(received.parts, "metadata");
  const { metadata, moduleParts } = splitMetadata(received.parts, false);
  let entry: Record<string, unknown> = {};
  if (metadata && (metadata.main_module !== undefined || metadata.body_part !== undefined)) {
    entry = { main_module: metadata.main_module, body_part: metadata.body_part };
  } else if (req.mainModulePart) {
    entry = { main_module: req.mainModulePart };
  } else if (req.bodyPart) {
    entry = { body_part: req.bodyPart };
  }
  checkSize(moduleParts);
  return { ...buildCode(moduleParts, entry), ...uploadRecord(metadata, received.parts) };
}

/**
 * Refuses the bracket-flattened form encoding of cloudflare@7 (`metadata[main_module]`,
 * `metadata[bindings][][type]`, `files[]`, `settings[tags][]`, …) with 400 / 10021.
 */
export function rejectBracketEncoding(parts: readonly FormPart[], field: "metadata" | "settings"): void {
  const bad = parts.find((p) => p.name.startsWith(`${field}[`) || p.name.endsWith("[]"));
  if (bad) {
    throw errors.workerValidation(
      `Unexpected form field '${bad.name}': '${field}' must be one part named '${field}' holding JSON` +
        (field === "metadata" ? ", and each module its own part named after the module" : "") +
        " (bracket-encoded fields such as '" +
        (field === "metadata" ? "metadata[main_module]' or 'files[]'" : "settings[tags][]'") +
        " are not accepted).",
    );
  }
}

/** Parses a multipart body or answers 400 / 10021; undefined when the Content-Type is not multipart/form-data. */
export function readMultipart(req: UploadRequest): FormPart[] | undefined {
  const boundary = multipartBoundary(req.contentType);
  if (boundary === undefined) return undefined;
  try {
    return parseMultipart(req.body, boundary);
  } catch (err) {
    if (err instanceof MultipartError) throw errors.workerValidation(`Could not parse the multipart/form-data body: ${err.message}`);
    throw err;
  }
}

/** The text of a JSON part (metadata, settings) as an object, or 400 / 10021. */
export function jsonPartObject(part: FormPart, field: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(part.body.toString("utf8"));
  } catch (err) {
    throw errors.workerValidation(`The '${field}' part is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw errors.workerValidation(`The '${field}' part must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

// --- internals ---------------------------------------------------------------------------------

type Received = { kind: "multipart"; parts: FormPart[] } | { kind: "script"; part: FormPart };

function readBody(req: UploadRequest): Received {
  const parts = readMultipart(req);
  if (parts) return { kind: "multipart", parts };
  if ((MODULE_CONTENT_TYPES.classicScript as readonly string[]).includes(mediaType(req.contentType))) {
    // Cloudflare reads such a body as one service-worker script named worker.js.
    return {
      kind: "script",
      part: { name: CLASSIC_SCRIPT_NAME, filename: null, contentType: req.contentType!, headers: {}, body: req.body },
    };
  }
  throw errors.workerValidation(
    `Unsupported Content-Type '${req.contentType ?? ""}': upload a Worker as multipart/form-data (a 'metadata' JSON part plus one part per module), or a service-worker script as application/javascript.`,
  );
}

function splitMetadata(parts: FormPart[], required: boolean): { metadata: Record<string, unknown> | undefined; moduleParts: FormPart[] } {
  const metaParts = parts.filter((p) => p.name === "metadata");
  if (metaParts.length > 1) throw errors.workerValidation(`The upload has ${metaParts.length} parts named 'metadata'; send exactly one.`);
  const moduleParts = parts.filter((p) => p.name !== "metadata");
  if (metaParts.length === 0) {
    if (required) {
      throw errors.workerValidation(
        "The upload has no 'metadata' part: send the Worker's metadata JSON as a part named 'metadata' (a text field, or a file with Content-Type application/json).",
      );
    }
    return { metadata: undefined, moduleParts };
  }
  return { metadata: jsonPartObject(metaParts[0], "metadata"), moduleParts };
}

function checkSize(parts: readonly FormPart[]): void {
  const size = parts.reduce((n, p) => n + p.body.length, 0);
  if (size > MAX_SCRIPT_SIZE_BYTES) throw errors.scriptTooLarge(size, MAX_SCRIPT_SIZE_BYTES);
}

function partNames(parts: readonly FormPart[]): Set<string> {
  return new Set(parts.flatMap((p) => (p.filename ? [p.name, p.filename] : [p.name])));
}

/** The modules and entry point of an upload (`entry` = metadata or `{ main_module | body_part }`). */
function buildCode(parts: readonly FormPart[], entry: Record<string, unknown>): WorkerCode {
  const { main_module: mainModule, body_part: bodyPart } = entry;
  if (mainModule !== undefined && bodyPart !== undefined) {
    throw errors.workerValidation(
      "metadata sets both main_module and body_part: use main_module for ES modules or body_part for a service-worker script.",
    );
  }
  if (mainModule === undefined && bodyPart === undefined) {
    throw errors.workerValidation(
      "metadata must name the entry point: main_module (ES modules) or body_part (service-worker script), naming one of the uploaded parts.",
    );
  }
  const field = mainModule !== undefined ? "main_module" : "body_part";
  const entryName = mainModule ?? bodyPart;
  if (typeof entryName !== "string" || entryName === "") throw errors.workerValidation(`${field} must be a non-empty string`);
  if (parts.length === 0)
    throw errors.workerValidation(`${field} '${entryName}' does not name an uploaded part: the upload has no module parts.`);

  const modules: ModuleRecord[] = [];
  const byName = new Map<string, ModuleRecord>();
  for (const p of parts) {
    const name = p.filename ?? p.name;
    if (name === "") throw errors.workerValidation(`A module part has neither a filename nor a name.`);
    if (byName.has(name)) throw errors.workerValidation(`Duplicate module name '${name}': every module part needs its own filename.`);
    const contentType = p.contentType ?? "text/plain"; // RFC 7578 default
    if (!ALL_MODULE_CONTENT_TYPES.includes(mediaType(contentType))) {
      throw errors.workerValidation(
        `Module '${name}' has an unsupported Content-Type '${contentType}'; expected one of ${ALL_MODULE_CONTENT_TYPES.join(", ")}.`,
      );
    }
    const m = moduleRecord(p, name, contentType);
    modules.push(m);
    byName.set(name, m);
  }

  const uploaded = modules.map((m) => m.name).join(", ");
  const hasModules = mainModule !== undefined;
  let main: ModuleRecord | undefined;
  if (hasModules) {
    main = byName.get(entryName) ?? modules.find((m) => m.part_name === entryName);
    if (!main) throw errors.workerValidation(`main_module '${entryName}' does not name an uploaded part (uploaded: ${uploaded}).`);
    const allowed: readonly string[] = [...MODULE_CONTENT_TYPES.esModule, ...MODULE_CONTENT_TYPES.python];
    if (!allowed.includes(mediaType(main.content_type))) {
      throw errors.workerValidation(
        `main_module '${entryName}' must be an ES module (Content-Type application/javascript+module or text/javascript+module) or Python (text/x-python); it was sent as '${main.content_type}'.`,
      );
    }
  } else {
    main = modules.find((m) => m.part_name === entryName) ?? byName.get(entryName);
    if (!main) throw errors.workerValidation(`body_part '${entryName}' does not name an uploaded part (uploaded: ${uploaded}).`);
    if (!(MODULE_CONTENT_TYPES.classicScript as readonly string[]).includes(mediaType(main.content_type))) {
      throw errors.workerValidation(
        `body_part '${entryName}' must be a service-worker script (Content-Type application/javascript or text/javascript); it was sent as '${main.content_type}'.`,
      );
    }
    const js: readonly string[] = [...MODULE_CONTENT_TYPES.classicScript, ...MODULE_CONTENT_TYPES.esModule];
    const otherJs = modules.find((m) => m !== main && js.includes(mediaType(m.content_type)));
    if (otherJs) {
      throw errors.workerValidation(
        `A service-worker upload (body_part) takes exactly one JavaScript part; '${otherJs.name}' is another one. Attach Wasm, text and data as wasm_module / text_blob / data_blob bindings.`,
      );
    }
    const syntaxError = classicScriptSyntaxError(moduleText(main), main.name);
    if (syntaxError) throw errors.workerValidation(syntaxError);
  }

  const ordered = [main, ...modules.filter((m) => m !== main)];
  return {
    has_modules: hasModules,
    main_module: main.name,
    modules: ordered,
    handlers: detectHandlers(moduleText(main), hasModules),
    etag: codeEtag(hasModules, main.name, ordered),
  };
}

/** sha256 hex over the entry-point choice and every module's name, Content-Type and bytes (order-independent). */
function codeEtag(hasModules: boolean, main: string, modules: readonly ModuleRecord[]): string {
  const h = createHash("sha256").update(`${hasModules ? "modules" : "service-worker"}\n${main}\n`);
  for (const m of [...modules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(`${m.name}\n${m.content_type}\n${m.sha256}\n`);
  }
  return h.digest("hex");
}

function validateKeepBindings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((t) => typeof t !== "string")) {
    throw errors.workerValidation('keep_bindings must be an array of binding types (strings), e.g. ["secret_text", "plain_text"]');
  }
  return value as string[];
}

/**
 * The version's assets: `assets.jwt` redeems a completion token for a new manifest; without one,
 * `keep_assets: true` keeps the previous version's files (with a new `assets.config` when given);
 * otherwise the version has none. The jwt takes precedence over keep_assets (SDK: ScriptUpdateParams.Metadata).
 */
function assetsOf(metadata: Record<string, unknown>, opts: UploadOptions): ScriptAssets | undefined {
  const assets = metadata.assets;
  if (assets !== undefined && (assets === null || typeof assets !== "object" || Array.isArray(assets))) {
    throw errors.workerValidation("assets must be an object { jwt?, config? }");
  }
  if (metadata.keep_assets !== undefined && typeof metadata.keep_assets !== "boolean")
    throw errors.workerValidation("keep_assets must be a boolean");
  const given = assets as Record<string, unknown> | undefined;
  const jwt = given?.jwt;
  if (jwt !== undefined && (typeof jwt !== "string" || jwt === "")) throw errors.workerValidation("assets.jwt must be a non-empty string");
  const config = given?.config === undefined ? undefined : validateAssetsConfig(given.config);
  if (typeof jwt === "string") {
    if (!opts.redeemAssets) throw errors.workerValidation("assets.jwt is not a valid completion token");
    return { manifest: opts.redeemAssets(jwt), config: config ?? {} };
  }
  const previous = opts.previous?.assets;
  if (metadata.keep_assets === true && previous) return { manifest: previous.manifest, config: config ?? previous.config };
  return undefined;
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * What is kept of a multipart request: the metadata and every part, with secret values left out (the
 * bindings hold them): a `metadata` part that carried one is recorded as the metadata without it.
 */
function uploadRecord(metadata: Record<string, unknown> | undefined, parts: readonly FormPart[]): WorkerUploadRecord {
  if (!metadata) return { metadata: null, parts: parts.map(partRecord) };
  const shown = withoutSecretValues(metadata);
  const hadSecrets = JSON.stringify(shown) !== JSON.stringify(metadata);
  return {
    metadata: shown,
    parts: parts.map((p) => partRecord(hadSecrets && p.name === "metadata" ? { ...p, body: Buffer.from(JSON.stringify(shown)) } : p)),
  };
}

function partRecord(p: FormPart): PartRecord {
  return {
    name: p.name,
    filename: p.filename,
    content_type: p.contentType,
    size: p.body.length,
    sha256: sha256(p.body),
    content_base64: p.body.toString("base64"),
  };
}

function moduleRecord(p: FormPart, name: string, contentType: string): ModuleRecord {
  return {
    name,
    part_name: p.name,
    content_type: contentType,
    size: p.body.length,
    sha256: sha256(p.body),
    content_base64: p.body.toString("base64"),
  };
}

function moduleText(m: ModuleRecord): string {
  return Buffer.from(m.content_base64, "base64").toString("utf8");
}
