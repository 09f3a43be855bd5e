/**
 * Tags of a user Worker (at most 8; no ',' or '&'). SDK 7.3.0 has these for namespaced scripts only:
 *   GET    …/scripts/:script/tags        ["a", "b"]
 *   PUT    …/scripts/:script/tags        JSON array (or null) replaces all → the new array
 *   PUT    …/scripts/:script/tags/:tag   adds one (idempotent) → null [INF]
 *   DELETE …/scripts/:script/tags/:tag   removes one (absent: still null) [INF]
 */
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { touch } from "../workers/store";
import { assertTagCount, validateTag, validateTags } from "../workers/tags";
import { namespaceHost, requireScript } from "./script-host";

const SCRIPT_PATH = namespaceHost.scriptPath;

function listTags(ctx: RequestContext): ApiResult {
  return ok([...requireScript(ctx, namespaceHost).tags]);
}

function replaceTags(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, namespaceHost);
  const body = ctx.json();
  if (body === undefined) throw errors.workerValidation("tags: send a JSON array of strings as the body (or null to remove every tag)");
  const tags = validateTags(body);
  ctx.state.mutate(() => {
    script.tags = tags;
    touch(script);
  });
  return ok([...tags]);
}

function addTag(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, namespaceHost);
  const tag = validateTag(ctx.params.tag);
  if (!script.tags.includes(tag)) {
    assertTagCount(script.tags.length + 1);
    ctx.state.mutate(() => {
      script.tags = [...script.tags, tag];
      touch(script);
    });
  }
  return ok(null);
}

function deleteTag(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, namespaceHost);
  const tag = ctx.params.tag;
  if (script.tags.includes(tag)) {
    ctx.state.mutate(() => {
      script.tags = script.tags.filter((t) => t !== tag);
      touch(script);
    });
  }
  return ok(null);
}

export const namespaceScriptTagRoutes: RouteDefinition[] = [
  { method: "GET", pattern: `${SCRIPT_PATH}/tags`, handler: listTags },
  { method: "PUT", pattern: `${SCRIPT_PATH}/tags`, handler: replaceTags },
  { method: "PUT", pattern: `${SCRIPT_PATH}/tags/:tag`, handler: addTag },
  { method: "DELETE", pattern: `${SCRIPT_PATH}/tags/:tag`, handler: deleteTag },
];
