/**
 * "Already as declared": taking over a script that exists with exactly the code and configuration
 * an upload would give it, without uploading. The one rule for every path that takes a script over
 * (the `import` option of a script resource, a fleet's create or import).
 *
 * - The code: the modules Cloudflare stores, hashed like a bundle, and the same main module.
 * - The configuration: each setting an upload sends equals the declared one (absent lists and maps
 *   equal empty ones: script-diff.ts); a setting the spec leaves out must not be set by choice in
 *   Cloudflare (reported.ts knows Cloudflare's defaults), since the upload would remove it.
 * - Secrets: Cloudflare never returns their values. Only when the program explicitly imports the
 *   script is a declared secret taken to hold the value the script has (compared by name and type);
 *   otherwise a script with secrets on either side is uploaded, so a stale value is never kept.
 * - Static assets and Durable Object migrations always go through an upload: the asset session and
 *   the migration tag are what later updates build on.
 */
import type { Session } from "../cloudflare/session";
import { hashModules, type WorkerBundle } from "./bundle";
import { isSetByChoice, reportedConfig } from "./reported";
import { EMPTY_WHEN_ABSENT, REPORTED_KEYS, changedKeys } from "./script-diff";
import { type ScriptAddress, type ScriptInfo, type ScriptSettings, getScript, getScriptCode, getScriptSettings } from "./script-api";
import type { WorkerSpec } from "./worker-spec";

export interface TakeOver {
  /** The program imports this script by name: declared secrets are trusted to hold the script's values. */
  explicitImport: boolean;
  /** The script's settings, when the caller read them already. */
  settings?: ScriptSettings;
  /** What Cloudflare said of the script (etag, times), when the caller knows it already (a namespace list). */
  script?: ScriptInfo;
}

/** Whether the reported configuration is what uploading `declared` would make it. */
export function configMatches(declared: WorkerSpec, reported: Record<string, unknown>): boolean {
  const given = declared as Record<string, unknown>;
  const compared = REPORTED_KEYS.filter((key) => given[key] !== undefined || key in EMPTY_WHEN_ABSENT);
  if (changedKeys(compared, reported, given).length > 0) return false;
  return REPORTED_KEYS.every((key) => compared.includes(key) || !isSetByChoice(key, reported[key]));
}

/** The script as Cloudflare has it when it is already exactly `declared` (built as `bundle`); undefined when an upload is needed. */
export async function alreadyAsDeclared(
  session: Session,
  address: ScriptAddress,
  declared: WorkerSpec,
  bundle: WorkerBundle,
  how: TakeOver,
): Promise<ScriptInfo | undefined> {
  if (declared.assets !== undefined || declared.migrations !== undefined) return undefined;
  const declaresSecrets = Object.keys(declared.secretBindings ?? {}).length > 0;
  if (declaresSecrets && !how.explicitImport) return undefined;
  const [settings, code] = await Promise.all([how.settings ?? getScriptSettings(session, address), getScriptCode(session, address)]);
  if (!settings || !code || code.mainModule !== bundle.mainModule || hashModules(code.modules) !== bundle.contentHash) return undefined;
  const reported = reportedConfig(settings, how.explicitImport ? declared.secretBindings : undefined);
  if (!how.explicitImport && Object.keys(reported.secretBindings ?? {}).length > 0) return undefined;
  if (!configMatches(declared, reported as Record<string, unknown>)) return undefined;
  return how.script ?? (await getScript(session, address));
}
