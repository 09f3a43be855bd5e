/**
 * User Workers inside a dispatch namespace:
 *   GET|DELETE  …/dispatch/namespaces/:namespace/scripts            list (cursor, tag filter) / delete by tags
 *   PUT|GET|DELETE …/scripts/:script                                  upload (upsert) / details / delete
 *   GET|PUT     …/scripts/:script/content                             modules as multipart / replace code only
 *   GET|PATCH   …/scripts/:script/settings                            configuration
 *   GET         …/scripts/:script/bindings                            bindings without secret values
 * (secrets and tags: namespace-script-secrets.ts / namespace-script-tags.ts). Parsing and validation
 * live in ../workers/*, shared with account-level scripts.
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, okRaw, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { isValidName, SCRIPT_NAME_RULE } from "../validation";
import { publicBinding, resolveBindings, validateBindings } from "../workers/bindings";
import { applyConfigFields } from "../workers/config";
import { encodeMultipart, mediaType } from "../workers/multipart";
import { SCRIPT_LIST_MAX_LIMIT } from "../workers/rules";
import { configOf, findScript, partNamesOf, putScript, removeScript, replaceCode, scriptsByName, touch } from "../workers/store";
import { matchesTags, parseTagFilter } from "../workers/tags";
import { jsonPartObject, parseContentUpload, parseWorkerUpload, readMultipart, rejectBracketEncoding } from "../workers/upload";
import { namespacedScriptView, scriptView, settingsView, uploadResultView } from "../workers/views";
import { requireVisibleNamespace } from "./dispatch-namespaces";
import { header, requireScript, SCRIPT_PATH, SCRIPTS_BASE } from "./namespace-script-lookup";

function uploadScript(ctx: RequestContext): ApiResult {
  const ns = requireVisibleNamespace(ctx);
  const name = ctx.params.script;
  if (!isValidName(name, SCRIPT_NAME_RULE)) throw errors.invalidScriptName(name, SCRIPT_NAME_RULE.description);
  const version = parseWorkerUpload(
    { contentType: header(ctx, "content-type"), body: ctx.rawBody },
    { previous: findScript(ns.scripts, name), bindingsInherit: ctx.query.get("bindings_inherit") },
  );
  const record = ctx.state.mutate(() => putScript(ns.scripts, name, version));
  return ok(uploadResultView(record));
}

function getScript(ctx: RequestContext): ApiResult {
  const { ns, script } = requireScript(ctx);
  return ok(namespacedScriptView(script, ns.namespace_name));
}

/** `?force=true` is accepted; the emulator tracks no references between Workers, so it changes nothing. */
function deleteScript(ctx: RequestContext): ApiResult {
  const { ns, script } = requireScript(ctx);
  ctx.state.mutate(() => removeScript(ns.scripts, script.name));
  return ok(null);
}

// --- list / delete by tags ---------------------------------------------------------------------

/**
 * Cursor pagination over scripts ordered by name: `result_info = { cursor, count }` where `cursor`
 * is non-empty only when more scripts remain [INF: location of the cursor]. The cursor is opaque
 * (base64url of the last name returned), so a deletion between pages skips nothing.
 */
function listScripts(ctx: RequestContext): ApiResult {
  const ns = requireVisibleNamespace(ctx);
  const limit = listLimit(ctx.query.get("limit"));
  const cursor = ctx.query.get("cursor");
  const after = cursor ? decodeCursor(cursor) : undefined;
  const tags = ctx.query.get("tags");
  const conditions = tags ? parseTagFilter(tags) : [];
  const matching = scriptsByName(ns.scripts).filter((s) => matchesTags(s.tags, conditions) && (after === undefined || s.name > after));
  const page = matching.slice(0, limit);
  const more = matching.length > page.length;
  return ok(
    page.map((s) => namespacedScriptView(s, ns.namespace_name)),
    { cursor: more ? encodeCursor(page[page.length - 1].name) : "", count: page.length },
  );
}

/** `DELETE …/scripts?tags=customer-123:yes` → `{ deleted: [{ id }], deleted_count, has_more }`. */
function deleteScriptsByTags(ctx: RequestContext): ApiResult {
  const ns = requireVisibleNamespace(ctx);
  const tags = ctx.query.get("tags");
  // [INF] Without a filter nothing is deleted: an empty filter must not mean "everything".
  if (!tags) throw errors.invalidQuery("Deleting scripts by tag needs a 'tags' query parameter, e.g. ?tags=customer-123:yes");
  const conditions = parseTagFilter(tags);
  const victims = scriptsByName(ns.scripts).filter((s) => matchesTags(s.tags, conditions));
  ctx.state.mutate(() => victims.forEach((s) => removeScript(ns.scripts, s.name)));
  return ok({ deleted: victims.map((s) => ({ id: s.name })), deleted_count: victims.length, has_more: false });
}

/** Absent → 1000; above 1000 → 1000; not a positive integer → 400 / 10021 [INF]. */
function listLimit(raw: string | null): number {
  if (raw === null || raw === "") return SCRIPT_LIST_MAX_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw errors.invalidQuery(`limit must be an integer between 1 and ${SCRIPT_LIST_MAX_LIMIT}, got '${raw}'`);
  }
  return Math.min(Number(raw), SCRIPT_LIST_MAX_LIMIT);
}

function encodeCursor(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof v?.after === "string") return v.after;
  } catch {
    // fall through
  }
  throw errors.invalidQuery(`Invalid cursor '${cursor}': pass the cursor from the previous response's result_info unchanged`);
}

// --- content ----------------------------------------------------------------------------------

/** The modules as multipart/form-data (entry module first), entry point in `cf-entrypoint`. */
function getContent(ctx: RequestContext): ApiResult {
  const { script } = requireScript(ctx);
  const { body, contentType } = encodeMultipart(
    script.modules.map((m) => ({ name: m.name, filename: m.name, contentType: m.content_type, body: Buffer.from(m.content_base64, "base64") })),
  );
  return okRaw(body, contentType, { "cf-entrypoint": script.main_module });
}

/** Replaces the code only; bindings and settings stay. Answers `<Script>`. */
function putContent(ctx: RequestContext): ApiResult {
  const { script } = requireScript(ctx);
  const code = parseContentUpload({
    contentType: header(ctx, "content-type"),
    body: ctx.rawBody,
    mainModulePart: header(ctx, "cf-worker-main-module-part"),
    bodyPart: header(ctx, "cf-worker-body-part"),
  });
  ctx.state.mutate(() => replaceCode(script, code));
  return ok(scriptView(script));
}

// --- settings / bindings ----------------------------------------------------------------------

function getSettings(ctx: RequestContext): ApiResult {
  return ok(settingsView(requireScript(ctx).script));
}

/**
 * Omitted fields stay; given ones are validated like an upload's metadata. `bindings`, when given,
 * replace the list (secrets included: keep them with `inherit` bindings) [INF].
 */
function patchSettings(ctx: RequestContext): ApiResult {
  const { script } = requireScript(ctx);
  const input = readSettingsBody(ctx);
  const config = applyConfigFields(configOf(script), input);
  if (input.bindings !== undefined) {
    const bindings = validateBindings(input.bindings, { partNames: partNamesOf(script) });
    config.bindings = resolveBindings(bindings, script.bindings, [], ctx.query.get("bindings_inherit") === "strict");
  }
  ctx.state.mutate(() => {
    Object.assign(script, config);
    touch(script);
  });
  return ok(settingsView(script));
}

/** Multipart with one `settings` JSON part (Cloudflare's format), or [INF] a JSON body (`{ settings }` or the settings object). */
function readSettingsBody(ctx: RequestContext): Record<string, unknown> {
  const contentType = header(ctx, "content-type");
  const parts = readMultipart({ contentType, body: ctx.rawBody });
  if (parts) {
    rejectBracketEncoding(parts, "settings");
    const settings = parts.filter((p) => p.name === "settings");
    if (settings.length !== 1) {
      throw errors.workerValidation(`A settings PATCH takes exactly one part named 'settings' holding JSON; got ${settings.length}.`);
    }
    return jsonPartObject(settings[0], "settings");
  }
  if (contentType === undefined || mediaType(contentType) === "application/json") {
    const body = jsonObjectBody(ctx);
    const wrapped = body.settings;
    const isWrapper = Object.keys(body).length === 1 && wrapped !== null && typeof wrapped === "object" && !Array.isArray(wrapped);
    return isWrapper ? (wrapped as Record<string, unknown>) : body;
  }
  throw errors.workerValidation(
    `Unsupported Content-Type '${contentType}': send multipart/form-data with one 'settings' part holding JSON.`,
  );
}

function getBindings(ctx: RequestContext): ApiResult {
  return ok(requireScript(ctx).script.bindings.map(publicBinding));
}

export const namespaceScriptRoutes: RouteDefinition[] = [
  { method: "GET", pattern: SCRIPTS_BASE, handler: listScripts },
  { method: "DELETE", pattern: SCRIPTS_BASE, handler: deleteScriptsByTags },
  { method: "PUT", pattern: SCRIPT_PATH, handler: uploadScript },
  { method: "GET", pattern: SCRIPT_PATH, handler: getScript },
  { method: "DELETE", pattern: SCRIPT_PATH, handler: deleteScript },
  { method: "GET", pattern: `${SCRIPT_PATH}/content`, handler: getContent },
  { method: "PUT", pattern: `${SCRIPT_PATH}/content`, handler: putContent },
  { method: "GET", pattern: `${SCRIPT_PATH}/settings`, handler: getSettings },
  { method: "PATCH", pattern: `${SCRIPT_PATH}/settings`, handler: patchSettings },
  { method: "GET", pattern: `${SCRIPT_PATH}/bindings`, handler: getBindings },
];
