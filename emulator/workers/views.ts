/**
 * The shapes the API answers with for a stored script (SDK 7.3.0 `Script`,
 * `ScriptUpdateResponse`, settings; SOURCES.md §3.6–3.7). Secret values never appear:
 * bindings go through `publicBinding`.
 */
import { publicBinding } from "./bindings";
import type { ScriptRecord } from "./types";

/** `<Script>`: the script object of GET script / list items / PUT content. */
export function scriptView(r: ScriptRecord) {
  const view: Record<string, unknown> = {
    id: r.name,
    tag: r.tag,
    etag: r.etag,
    handlers: [...r.handlers],
    created_on: r.created_on,
    modified_on: r.modified_on,
    compatibility_date: r.compatibility_date,
    compatibility_flags: [...r.compatibility_flags],
    has_modules: r.has_modules,
    has_assets: r.has_assets,
    logpush: r.logpush,
    usage_model: r.usage_model,
    tags: [...r.tags],
  };
  if (r.placement !== undefined) view.placement = structuredClone(r.placement);
  if (r.observability !== undefined) view.observability = structuredClone(r.observability);
  if (r.tail_consumers !== undefined) view.tail_consumers = structuredClone(r.tail_consumers);
  if (r.migration_tag !== undefined) view.migration_tag = r.migration_tag;
  return view;
}

/** `result` of the upload (`ScriptUpdateResponse`): the script object plus `startup_time_ms`. */
export function uploadResultView(r: ScriptRecord) {
  return { ...scriptView(r), startup_time_ms: 0 };
}

/** `{ created_on, modified_on, dispatch_namespace, script }`: GET script and list items of a namespace. */
export function namespacedScriptView(r: ScriptRecord, namespaceName: string) {
  return { created_on: r.created_on, modified_on: r.modified_on, dispatch_namespace: namespaceName, script: scriptView(r) };
}

/** `GET|PATCH …/settings` (account level: "script and version settings", which may carry `annotations`). */
export function settingsView(r: ScriptRecord) {
  const view: Record<string, unknown> = {
    bindings: r.bindings.map(publicBinding),
    compatibility_date: r.compatibility_date,
    compatibility_flags: [...r.compatibility_flags],
    logpush: r.logpush,
    tags: [...r.tags],
    usage_model: r.usage_model,
  };
  if (r.limits !== undefined) view.limits = { ...r.limits };
  if (r.placement !== undefined) view.placement = structuredClone(r.placement);
  if (r.observability !== undefined) view.observability = structuredClone(r.observability);
  if (r.tail_consumers !== undefined) view.tail_consumers = structuredClone(r.tail_consumers);
  if (r.annotations !== undefined) view.annotations = { ...r.annotations };
  return view;
}
