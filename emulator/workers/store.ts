/**
 * Operations on a container of scripts (`Record<name, ScriptRecord>`): a dispatch namespace's
 * `scripts` or an account's own `scripts`. Callers wrap changes in `state.mutate()`.
 */
import { cfTimestamp, randomHex32 } from "../ids";
import type { ScriptRecord, WorkerCode, WorkerConfig, WorkerUploadRecord, WorkerVersion } from "./types";

export type ScriptContainer = Record<string, ScriptRecord>;

/** Own-property lookup (a script named "constructor" must not find Object.prototype's). */
export function findScript(container: ScriptContainer, name: string): ScriptRecord | undefined {
  return Object.prototype.hasOwnProperty.call(container, name) ? container[name] : undefined;
}

/** Creates or replaces a script with a new version; `tag` and `created_on` survive a replace. */
export function putScript(container: ScriptContainer, name: string, version: WorkerVersion): ScriptRecord {
  const previous = findScript(container, name);
  const now = cfTimestamp();
  const record: ScriptRecord = {
    name,
    tag: previous?.tag ?? randomHex32(),
    created_on: previous?.created_on ?? now,
    modified_on: now,
    ...version,
  };
  container[name] = record;
  return record;
}

/** Replaces the code (modules, entry point, handlers, etag) and keeps the configuration. */
export function replaceCode(record: ScriptRecord, code: WorkerCode & WorkerUploadRecord): void {
  Object.assign(record, {
    has_modules: code.has_modules,
    main_module: code.main_module,
    modules: code.modules,
    handlers: code.handlers,
    etag: code.etag,
    metadata: code.metadata,
    parts: code.parts,
  });
  touch(record);
}

/** The configuration part of a record (a copy), e.g. the base of a settings PATCH. */
export function configOf(r: ScriptRecord): WorkerConfig {
  const config: WorkerConfig = {
    bindings: r.bindings,
    compatibility_date: r.compatibility_date,
    compatibility_flags: r.compatibility_flags,
    tags: r.tags,
    usage_model: r.usage_model,
    logpush: r.logpush,
    has_assets: r.has_assets,
  };
  for (const k of [
    "placement",
    "observability",
    "limits",
    "tail_consumers",
    "migration_tag",
    "durable_object_classes",
    "durable_object_namespaces",
    "annotations",
  ] as const) {
    if (r[k] !== undefined) (config as unknown as Record<string, unknown>)[k] = r[k];
  }
  return structuredClone(config);
}

/** Names a `wasm_module` / `text_blob` / `data_blob` binding may reference: the script's module and part names. */
export function partNamesOf(r: ScriptRecord): Set<string> {
  return new Set(r.modules.flatMap((m) => [m.name, m.part_name]));
}

/** Marks a change to the script (settings, secrets, tags, code): SOURCES.md §12, question 12 [INF]. */
export function touch(record: ScriptRecord): void {
  record.modified_on = cfTimestamp();
}

export function removeScript(container: ScriptContainer, name: string): boolean {
  if (!findScript(container, name)) return false;
  delete container[name];
  return true;
}

/** All scripts, ordered by name (the stable order behind list cursors). */
export function scriptsByName(container: ScriptContainer): ScriptRecord[] {
  return Object.keys(container)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => container[k]);
}
