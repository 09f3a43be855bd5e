/**
 * A Worker's configuration besides code and bindings (compatibility, tags, limits, usage model,
 * placement, observability, logpush): the provider-side inputs, the rules `check` enforces (the
 * same ones Cloudflare answers 10021 for, so they fail at preview), and the upload metadata.
 */
import type { ScriptUpdateParams } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import { type Camelized, camelized, snakeCased } from "../framework/casing";
import { isUnknownValue } from "../framework/unknowns";
import { type BindingMap, type BindingType, toMetadataBindings } from "./bindings";
import type { WorkerBundle } from "./bundle";
import { type Migrations, metadataMigrations, migrationsProblems } from "./migrations";

export type WorkerMetadata = ScriptUpdateParams.Metadata;
export type UsageModel = NonNullable<WorkerMetadata["usage_model"]>;
/** Where the Worker runs (Smart Placement and the like), Cloudflare's `placement` in camelCase. */
export type Placement = Camelized<NonNullable<WorkerMetadata["placement"]>>;
/** Workers Logs and traces, Cloudflare's `observability` in camelCase (`headSamplingRate`, `logs.invocationLogs`, ...). */
export type Observability = Camelized<NonNullable<WorkerMetadata["observability"]>>;

export const USAGE_MODELS: readonly UsageModel[] = ["standard", "bundled", "unbound"];
/** Cloudflare: at most 8 tags per script, without ',' or '&' (the separators of tag filters). */
export const MAX_TAGS = 8;
/** Cloudflare's longest CPU limit: 5 minutes. */
export const MAX_CPU_MS = 300_000;

export interface WorkerLimits {
  /** CPU time per request, in milliseconds. */
  cpuMs?: number;
  /** Subrequests per request. */
  subrequests?: number;
}

/** Configuration inputs shared by namespaced and account-level scripts. */
export interface WorkerConfigInputs {
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  bindings?: BindingMap;
  secretBindings?: BindingMap;
  tags?: string[];
  limits?: WorkerLimits;
  usageModel?: UsageModel;
  placement?: Placement;
  observability?: Observability;
  logpush?: boolean;
  /** Binding types Cloudflare keeps from the previous upload when this upload omits them. */
  keepBindings?: BindingType[];
  /** Durable Object migrations, sent until the script's migration tag is their `newTag`. */
  migrations?: Migrations;
}

export interface ConfigProblem {
  property: keyof WorkerConfigInputs;
  reason: string;
}

/**
 * Validates the configuration fields; `today` is the UTC date compatibility dates may not exceed.
 * A value still unknown at preview, at any depth, is checked at `up`.
 */
export function configProblems(inputs: Record<string, unknown>, today: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = (key: keyof WorkerConfigInputs) => inputs[key] !== undefined && !isUnknownValue(inputs[key]);
  const fail = (property: keyof WorkerConfigInputs, reason: string) => problems.push({ property, reason });

  if (known("compatibilityDate")) {
    const reason = compatibilityDateProblem(inputs.compatibilityDate, today);
    if (reason) fail("compatibilityDate", reason);
  }
  if (known("compatibilityFlags") && !isStringList(inputs.compatibilityFlags)) {
    fail("compatibilityFlags", 'compatibilityFlags must be a list of non-empty strings, e.g. ["nodejs_compat"]');
  }
  if (known("tags")) {
    const tags = inputs.tags;
    if (!isStringList(tags)) fail("tags", "tags must be a list of non-empty strings");
    else if (tags.length > MAX_TAGS) fail("tags", `a script has at most ${MAX_TAGS} tags, got ${tags.length}`);
    else {
      for (const tag of tags.filter((t) => /[,&]/.test(t))) fail("tags", `tag '${tag}' may not contain ',' or '&'`);
    }
  }
  if (known("limits")) {
    const limits = inputs.limits as Record<string, unknown>;
    if (typeof limits !== "object" || limits === null) fail("limits", "limits must be an object like { cpuMs: 50 }");
    else {
      if (limits.cpuMs !== undefined && !isUnknownValue(limits.cpuMs) && !isIntegerIn(limits.cpuMs, 1, MAX_CPU_MS)) {
        fail("limits", `limits.cpuMs must be a whole number of milliseconds from 1 to ${MAX_CPU_MS}, got ${JSON.stringify(limits.cpuMs)}`);
      }
      if (
        limits.subrequests !== undefined &&
        !isUnknownValue(limits.subrequests) &&
        !isIntegerIn(limits.subrequests, 1, Number.MAX_SAFE_INTEGER)
      ) {
        fail("limits", `limits.subrequests must be a positive whole number, got ${JSON.stringify(limits.subrequests)}`);
      }
    }
  }
  if (known("usageModel") && !USAGE_MODELS.includes(inputs.usageModel as UsageModel)) {
    fail("usageModel", `usageModel must be one of ${USAGE_MODELS.join(", ")}, got ${JSON.stringify(inputs.usageModel)}`);
  }
  if (known("logpush") && typeof inputs.logpush !== "boolean") fail("logpush", "logpush must be true or false");
  if (known("placement") && !isObject(inputs.placement)) fail("placement", 'placement must be an object, e.g. { mode: "smart" }');
  if (known("observability")) {
    const o = inputs.observability as Record<string, unknown>;
    if (!isObject(o) || (o.enabled !== undefined && !isUnknownValue(o.enabled) && typeof o.enabled !== "boolean")) {
      fail("observability", "observability must be an object whose 'enabled' is true or false");
    }
  }
  if (known("migrations")) for (const reason of migrationsProblems(inputs.migrations)) fail("migrations", reason);
  return problems;
}

/**
 * State written before placement and observability took camelCase holds Cloudflare's spelling; read
 * as the program spells it now, an unchanged program shows no change.
 */
export function withCamelCasedConfig<T extends WorkerConfigInputs>(state: T): T {
  const upgraded = { ...state };
  if (state.placement) upgraded.placement = camelized(state.placement);
  if (state.observability) upgraded.observability = camelized(state.observability);
  return upgraded;
}

/** Cloudflare takes `YYYY-MM-DD`, a real date, no later than today. */
export function compatibilityDateProblem(value: unknown, today: string): string | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return `compatibilityDate must be a date in the form YYYY-MM-DD, got ${JSON.stringify(value)}`;
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    return `compatibilityDate '${value}' is not a calendar date`;
  }
  if (value > today) return `compatibilityDate '${value}' is in the future; Cloudflare accepts dates up to today (${today}, UTC)`;
  return undefined;
}

/**
 * The upload's metadata: everything about the Worker except the module bytes, in one JSON part.
 * `appliedTag` is the script's current migration tag: migrations that reached it are not sent again.
 */
export function workerMetadata(config: WorkerConfigInputs, bundle: WorkerBundle, appliedTag?: string): WorkerMetadata {
  const metadata: WorkerMetadata = {
    main_module: bundle.mainModule,
    bindings: toMetadataBindings(config.bindings, config.secretBindings),
  };
  if (config.compatibilityDate !== undefined) metadata.compatibility_date = config.compatibilityDate;
  if (config.compatibilityFlags !== undefined) metadata.compatibility_flags = config.compatibilityFlags;
  if (config.tags !== undefined) metadata.tags = config.tags;
  if (config.limits !== undefined) {
    metadata.limits = {};
    if (config.limits.cpuMs !== undefined) metadata.limits.cpu_ms = config.limits.cpuMs;
    if (config.limits.subrequests !== undefined) metadata.limits.subrequests = config.limits.subrequests;
  }
  if (config.usageModel !== undefined) metadata.usage_model = config.usageModel;
  if (config.placement !== undefined) metadata.placement = snakeCased<WorkerMetadata["placement"]>(config.placement);
  if (config.observability !== undefined) metadata.observability = snakeCased<WorkerMetadata["observability"]>(config.observability);
  if (config.logpush !== undefined) metadata.logpush = config.logpush;
  if (config.keepBindings !== undefined) metadata.keep_bindings = config.keepBindings;
  const migrations = metadataMigrations(config.migrations, appliedTag);
  if (migrations !== undefined) metadata.migrations = migrations;
  return metadata;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string" && v !== "");
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
