/**
 * Account-level Workers (the dispatcher of a Workers for Platforms setup), `/accounts/:a/workers/scripts`:
 *   GET         /workers/scripts                     list ([<Script>], one page; `?tags=a:yes,b:no`)
 *   PUT|DELETE  /workers/scripts/:script             upload (upsert) / delete (`?force`)
 *   GET         /workers/scripts/:script             the code ("download": raw script or multipart modules)
 *   GET         /workers/scripts/:script/content/v2  the code, same shapes (`?version=<id>`: that version's)
 *   PUT         /workers/scripts/:script/content     replace code only
 *   GET|PATCH   /workers/scripts/:script/settings    script-and-version settings (may carry `annotations`)
 *   …/secrets, …/secrets/:name, …/secrets-bulk      secrets
 * Everything but list and the code answers is the shared handler set (script-handlers.ts).
 */
import type { RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { scriptsByName } from "../workers/store";
import { matchesTags, parseTagFilter } from "../workers/tags";
import { scriptView } from "../workers/views";
import { versionWorker } from "./account-script-versions";
import { codeAnswer, sharedScriptRoutes } from "./script-handlers";
import { accountHost, requireScript, SCRIPT_COLLECTIONS } from "./script-host";
import { scriptSecretRoutes } from "./script-secrets";

/** No pagination: the SDK reads the account script list as a SinglePage. */
function listScripts(ctx: RequestContext): ApiResult {
  const tags = ctx.query.get("tags");
  const conditions = tags ? parseTagFilter(tags) : [];
  const scripts = scriptsByName(accountHost.container(ctx)).filter((s) => matchesTags(s.tags, conditions));
  return ok(scripts.map(scriptView));
}

function getCode(ctx: RequestContext): ApiResult {
  return codeAnswer(requireScript(ctx, accountHost));
}

/** `content/v2?version=<id>`: the code of one stored version (wrangler `versions secret put` reads it this way). */
function getCodeV2(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const versionId = ctx.query.get("version");
  return codeAnswer(versionId === null ? script : { ...script, ...versionWorker(ctx, versionId) });
}

const SCRIPT_PATH = accountHost.scriptPath;

export const accountScriptRoutes: RouteDefinition[] = [
  { method: "GET", pattern: SCRIPT_COLLECTIONS.account, handler: listScripts },
  { method: "GET", pattern: SCRIPT_PATH, handler: getCode },
  { method: "GET", pattern: `${SCRIPT_PATH}/content/v2`, handler: getCodeV2 },
  ...sharedScriptRoutes(accountHost),
  ...scriptSecretRoutes(accountHost),
];
