/**
 * What Cloudflare reports about a script's configuration, read in the shape of the inputs: the one
 * mapping that refresh, the `import` option, a fleet taking over a script and the import command
 * all read settings through, and the one place that knows what Cloudflare reports for a setting a
 * script never chose (its defaults).
 */
import { camelized } from "../framework/casing";
import { fromReportedBindings } from "./bindings";
import type { WorkerConfigInputs } from "./config";
import type { ScriptSettings } from "./script-api";
import { REPORTED_KEYS } from "./script-diff";

/** Configuration an import takes over when the program does not declare it: every setting Cloudflare reports. */
export const INHERITABLE_KEYS = REPORTED_KEYS;

/**
 * Values Cloudflare reports for a script that never set them. Workers settings API: `usage_model`
 * reads "standard" on every current plan, `logpush` false unless enabled.
 */
const CLOUDFLARE_DEFAULTS: Readonly<Record<string, unknown>> = { usageModel: "standard", logpush: false };

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value && typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** A reported setting someone chose: present, not empty, not what Cloudflare reports for a script that never set it. */
export function isSetByChoice(key: string, value: unknown): boolean {
  return value !== undefined && value !== null && !isEmpty(value) && CLOUDFLARE_DEFAULTS[key] !== value;
}

/**
 * Cloudflare's settings in the shape of the inputs. Secret values are never returned: a secret
 * named in `knownSecrets` with the same type reads as that known value (what state or the program
 * says it holds), any other as its name and type only.
 */
export function reportedConfig(settings: ScriptSettings, knownSecrets: WorkerConfigInputs["secretBindings"]): WorkerConfigInputs {
  const { bindings, secretBindings } = fromReportedBindings(settings.bindings ?? [], knownSecrets);
  const config: WorkerConfigInputs = {
    compatibilityDate: settings.compatibility_date,
    compatibilityFlags: settings.compatibility_flags,
    bindings,
    secretBindings,
    tags: settings.tags ?? [],
    usageModel: settings.usage_model,
    logpush: settings.logpush,
  };
  if (settings.limits) {
    const limits: WorkerConfigInputs["limits"] = {};
    if (settings.limits.cpu_ms != null) limits.cpuMs = settings.limits.cpu_ms;
    if (settings.limits.subrequests != null) limits.subrequests = settings.limits.subrequests;
    config.limits = limits;
  }
  if (settings.placement) config.placement = camelized(settings.placement);
  if (settings.observability) config.observability = camelized(settings.observability);
  return config;
}

/** The settings Cloudflare reports as chosen for the script, and nothing it reports by default. */
export function chosenConfig(settings: ScriptSettings): WorkerConfigInputs {
  const reported = reportedConfig(settings, undefined) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(reported).filter(([key, value]) => isSetByChoice(key, value)));
}
