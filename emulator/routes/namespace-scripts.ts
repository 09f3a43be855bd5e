/**
 * User Workers inside a dispatch namespace:
 *   GET|DELETE  …/dispatch/namespaces/:namespace/scripts            list (cursor, tag filter) / delete by tags
 *   PUT|GET|DELETE …/scripts/:script                                  upload (upsert) / details (a missing one: 10092) / delete
 *   GET|PUT     …/scripts/:script/content                             modules as multipart / replace code only
 *   GET|PATCH   …/scripts/:script/settings                            configuration
 *   GET         …/scripts/:script/bindings                            bindings without secret values
 * Upload, delete, content PUT, settings and bindings are the shared handlers of script-handlers.ts;
 * secrets: script-secrets.ts; tags: namespace-script-tags.ts.
 */
import type { RequestContext } from "../context";
import { cursorLimit, cursorPage } from "../cursor";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { SCRIPT_LIST_MAX_LIMIT } from "../workers/rules";
import { removeScript, scriptsByName } from "../workers/store";
import { matchesTags, parseTagFilter } from "../workers/tags";
import { namespacedScriptView } from "../workers/views";
import { requireVisibleNamespace } from "./dispatch-namespaces";
import { bindingsRoute, modulesAnswer, sharedScriptRoutes } from "./script-handlers";
import { namespaceHost, requireScript, SCRIPT_COLLECTIONS, type ScriptHost } from "./script-host";

const SCRIPTS_BASE = SCRIPT_COLLECTIONS.namespace;
const SCRIPT_PATH = namespaceHost.scriptPath;

/** GET of one script answers a missing one with 10092, not 10007 like its sub-resources (SOURCES.md §4). */
const namespaceScriptGet: ScriptHost = { ...namespaceHost, notFound: errors.namespacedScriptNotFound };

function getScript(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, namespaceScriptGet);
  return ok(namespacedScriptView(script, requireVisibleNamespace(ctx).namespace_name));
}

// --- list / delete by tags ---------------------------------------------------------------------

/** Cursor pagination (../cursor.ts) over scripts ordered by name [INF: location of the cursor]. */
function listScripts(ctx: RequestContext): ApiResult {
  const ns = requireVisibleNamespace(ctx);
  const limit = cursorLimit(ctx.query.get("limit"), { max: SCRIPT_LIST_MAX_LIMIT });
  const tags = ctx.query.get("tags");
  const conditions = tags ? parseTagFilter(tags) : [];
  const matching = scriptsByName(ns.scripts).filter((s) => matchesTags(s.tags, conditions));
  const page = cursorPage(matching, (s) => s.name, ctx.query.get("cursor"), limit);
  return ok(
    page.items.map((s) => namespacedScriptView(s, ns.namespace_name)),
    { cursor: page.cursor, count: page.items.length },
  );
}

/**
 * `DELETE …/scripts?tags=customer-123:yes[&limit=n]` → `{ deleted: [{ id }], deleted_count, has_more }`
 * (OAS `namespace-worker-delete-scripts`): with `limit`, at most that many (by name), `has_more`
 * telling whether matching scripts remain. No per-call maximum is documented [INF: none here].
 */
function deleteScriptsByTags(ctx: RequestContext): ApiResult {
  const ns = requireVisibleNamespace(ctx);
  const tags = ctx.query.get("tags");
  // [INF] Without a filter nothing is deleted: an empty filter must not mean "everything".
  if (!tags) throw errors.invalidQuery("Deleting scripts by tag needs a 'tags' query parameter, e.g. ?tags=customer-123:yes");
  const conditions = parseTagFilter(tags);
  const matching = scriptsByName(ns.scripts).filter((s) => matchesTags(s.tags, conditions));
  const limit = cursorLimit(ctx.query.get("limit"), { max: Math.max(1, matching.length) });
  const victims = matching.slice(0, limit);
  ctx.state.mutate(() => victims.forEach((s) => removeScript(ns.scripts, s.name)), {
    onlyScripts: { container: ns.scripts, names: victims.map((s) => s.name) },
  });
  return ok({ deleted: victims.map((s) => ({ id: s.name })), deleted_count: victims.length, has_more: matching.length > victims.length });
}

// --- content ----------------------------------------------------------------------------------

/** The modules as multipart/form-data, whatever the syntax (what 3P clients parse as FormData). */
function getContent(ctx: RequestContext): ApiResult {
  return modulesAnswer(requireScript(ctx, namespaceHost));
}

export const namespaceScriptRoutes: RouteDefinition[] = [
  { method: "GET", pattern: SCRIPTS_BASE, handler: listScripts },
  { method: "DELETE", pattern: SCRIPTS_BASE, handler: deleteScriptsByTags },
  { method: "GET", pattern: SCRIPT_PATH, handler: getScript },
  { method: "GET", pattern: `${SCRIPT_PATH}/content`, handler: getContent },
  ...sharedScriptRoutes(namespaceHost),
  bindingsRoute(namespaceHost),
];
