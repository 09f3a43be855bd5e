/**
 * Worker limits and defaults the emulator enforces, in one place because most are inferred [INF]
 * (see emulator/SOURCES.md §3.3, §4, §12). Adjust here; the script-name rule
 * lives next to the namespace-name rule in ../validation.ts.
 */

/** [INF] Total size of the uploaded modules above which an upload answers 400 / 10027 (Cloudflare paid plan: 10 MiB). */
export const MAX_SCRIPT_SIZE_BYTES = 10 * 1024 * 1024;

/** [CF-DOCS] Compatibility date applied when an upload omits one. */
export const DEFAULT_COMPATIBILITY_DATE = "2021-11-02";

/** [CF-DOCS limits] At most 8 tags per script. */
export const MAX_TAGS_PER_SCRIPT = 8;

/** [CF-DOCS limits] Characters tags must avoid (they are the separators of the `tags` list filter). */
export const FORBIDDEN_TAG_CHARACTERS = /[,&]/;

/** [INF] Upper bound for `limits.cpu_ms` (Cloudflare's maximum CPU time is 5 minutes). */
export const MAX_CPU_MS = 300_000;

/** [CF-DOCS] `GET …/scripts` page size: default and maximum. */
export const SCRIPT_LIST_MAX_LIMIT = 1000;

/** [SDK] `annotations["workers/message"]` is truncated to this many bytes. */
export const MAX_ANNOTATION_MESSAGE_BYTES = 1000;

/** [SDK] `annotations["workers/tag"]` may be at most this many bytes (longer: 400 / 10021 [INF]). */
export const MAX_ANNOTATION_TAG_BYTES = 100;

export const USAGE_MODELS = ["standard", "bundled", "unbound"] as const;

/** Handler names recognised by the entry-module scan. */
export const KNOWN_HANDLERS = ["email", "fetch", "queue", "scheduled", "tail", "test", "trace"] as const;

/**
 * Module Content-Types accepted in an upload (union of the SDK docs and wrangler's table, §3.2),
 * compared on the media type without parameters.
 */
export const MODULE_CONTENT_TYPES = {
  esModule: ["application/javascript+module", "text/javascript+module"],
  classicScript: ["application/javascript", "text/javascript"],
  python: ["text/x-python"],
  other: ["text/x-python-requirement", "application/wasm", "text/plain", "application/octet-stream", "application/source-map"],
} as const;

export const ALL_MODULE_CONTENT_TYPES: readonly string[] = Object.values(MODULE_CONTENT_TYPES).flat();
