/**
 * The configuration fields of a Worker shared by an upload's `metadata` and `PATCH …/settings`:
 * compatibility date/flags, tags, usage model, limits, logpush, placement, observability, tail
 * consumers, migrations. Each problem is 400 / 10021 with a message naming the field [INF: the
 * code for these is not evidenced beyond "validation error"]. Bindings are handled by bindings.ts.
 */
import { errors } from "../envelope";
import { DEFAULT_COMPATIBILITY_DATE, MAX_ANNOTATION_MESSAGE_BYTES, MAX_ANNOTATION_TAG_BYTES, MAX_CPU_MS, USAGE_MODELS } from "./rules";
import { applyMigrations, type MigrationState } from "./migrations";
import { validateTags } from "./tags";
import type { UsageModel, WorkerConfig } from "./types";

/** The configuration of a fresh upload that sets nothing. */
export function defaultConfig(): WorkerConfig {
  return {
    bindings: [],
    compatibility_date: DEFAULT_COMPATIBILITY_DATE,
    compatibility_flags: [],
    tags: [],
    usage_model: "standard",
    logpush: false,
    has_assets: false,
  };
}

export interface ConfigOptions {
  /** Clock for the compatibility-date check (tests). */
  now?: Date;
  /** Whether `annotations` are read (account-level Workers); otherwise the field is ignored like any unknown one. */
  annotations?: boolean;
  /** The script's Durable Object state before this change (an upload's base is empty); default: `base`. */
  previous?: MigrationState;
}

/**
 * `base` with every config field present in `input` validated and applied (bindings excluded).
 * Upload: base = defaultConfig() (a full replace). Settings PATCH: base = the current config.
 */
export function applyConfigFields(base: WorkerConfig, input: Record<string, unknown>, opts: ConfigOptions = {}): WorkerConfig {
  const now = opts.now ?? new Date();
  const out: WorkerConfig = structuredClone(base);
  if (opts.annotations && input.annotations !== undefined) out.annotations = validateAnnotations(input.annotations);
  if (input.compatibility_date !== undefined) out.compatibility_date = validateCompatibilityDate(input.compatibility_date, now);
  if (input.compatibility_flags !== undefined) out.compatibility_flags = validateCompatibilityFlags(input.compatibility_flags);
  if (input.tags !== undefined) out.tags = validateTags(input.tags);
  if (input.usage_model !== undefined) out.usage_model = validateUsageModel(input.usage_model);
  if (input.logpush !== undefined) {
    if (typeof input.logpush !== "boolean") throw errors.workerValidation("logpush must be a boolean");
    out.logpush = input.logpush;
  }
  if (input.limits !== undefined) out.limits = validateLimits(input.limits);
  if (input.placement !== undefined) out.placement = objectField(input.placement, "placement");
  if (input.observability !== undefined) out.observability = validateObservability(input.observability);
  if (input.tail_consumers !== undefined) out.tail_consumers = validateTailConsumers(input.tail_consumers);
  if (input.migrations !== undefined && input.migrations !== null) {
    const applied = applyMigrations(input.migrations, opts.previous ?? base);
    if (applied.migration_tag !== undefined) out.migration_tag = applied.migration_tag;
    out.durable_object_classes = applied.durable_object_classes;
    out.durable_object_namespaces = applied.durable_object_namespaces;
  }
  return out;
}

/** `YYYY-MM-DD`, a real calendar date, not after today (UTC). */
export function validateCompatibilityDate(value: unknown, now: Date = new Date()): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw errors.workerValidation(`compatibility_date must be a date in the form YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw errors.workerValidation(`compatibility_date '${value}' is not a valid calendar date`);
  }
  const today = now.toISOString().slice(0, 10);
  if (value > today) {
    throw errors.workerValidation(`compatibility_date '${value}' is in the future: it can be at most today's date (${today}, UTC)`);
  }
  return value;
}

export function validateCompatibilityFlags(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((f) => typeof f !== "string" || f === "")) {
    throw errors.workerValidation("compatibility_flags must be an array of non-empty strings");
  }
  return [...new Set(value as string[])];
}

export function validateUsageModel(value: unknown): UsageModel {
  if (!(USAGE_MODELS as readonly unknown[]).includes(value)) {
    throw errors.workerValidation(`usage_model must be one of ${USAGE_MODELS.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as UsageModel;
}

export function validateLimits(value: unknown): { cpu_ms?: number; subrequests?: number } {
  const o = objectField(value, "limits");
  const out: { cpu_ms?: number; subrequests?: number } = {};
  if (o.cpu_ms !== undefined) {
    if (!Number.isInteger(o.cpu_ms) || (o.cpu_ms as number) < 1 || (o.cpu_ms as number) > MAX_CPU_MS) {
      throw errors.workerValidation(
        `limits.cpu_ms must be a positive integer number of milliseconds (at most ${MAX_CPU_MS}), got ${JSON.stringify(o.cpu_ms)}`,
      );
    }
    out.cpu_ms = o.cpu_ms as number;
  }
  if (o.subrequests !== undefined) {
    if (!Number.isInteger(o.subrequests) || (o.subrequests as number) < 1) {
      throw errors.workerValidation(`limits.subrequests must be a positive integer, got ${JSON.stringify(o.subrequests)}`);
    }
    out.subrequests = o.subrequests as number;
  }
  return out;
}

function validateObservability(value: unknown): Record<string, unknown> {
  const o = objectField(value, "observability");
  if (o.enabled !== undefined && typeof o.enabled !== "boolean") throw errors.workerValidation("observability.enabled must be a boolean");
  return o;
}

function validateTailConsumers(value: unknown): Array<Record<string, unknown>> | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw errors.workerValidation("tail_consumers must be an array of { service } objects or null");
  return value.map((c, i) => {
    if (c === null || typeof c !== "object" || typeof (c as Record<string, unknown>).service !== "string") {
      throw errors.workerValidation(`tail_consumers[${i}] must be an object with a string 'service'`);
    }
    return structuredClone(c as Record<string, unknown>);
  });
}

/** `{ "workers/message"?, "workers/tag"? }`: strings; the message is cut to 1000 bytes, a tag over 100 bytes is refused. */
export function validateAnnotations(value: unknown): Record<string, string> {
  const o = objectField(value, "annotations");
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(o)) {
    if (key !== "workers/message" && key !== "workers/tag") {
      throw errors.workerValidation(`annotations: unknown annotation '${key}' (expected workers/message or workers/tag)`);
    }
    if (typeof v !== "string") throw errors.workerValidation(`annotations["${key}"] must be a string`);
    out[key] = v;
  }
  const tag = out["workers/tag"];
  if (tag !== undefined && Buffer.byteLength(tag) > MAX_ANNOTATION_TAG_BYTES) {
    throw errors.workerValidation(`annotations["workers/tag"] may be at most ${MAX_ANNOTATION_TAG_BYTES} bytes`);
  }
  const message = out["workers/message"];
  if (message !== undefined) out["workers/message"] = truncateUtf8(message, MAX_ANNOTATION_MESSAGE_BYTES);
  return out;
}

/** The longest prefix of `s` that fits in `maxBytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = "";
  let bytes = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

function objectField(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw errors.workerValidation(`${field} must be an object`);
  return structuredClone(value as Record<string, unknown>);
}
