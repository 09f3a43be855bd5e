/**
 * Script-level settings of an account-level Worker (SDK `client.workers.scripts.settings`, type
 * `ScriptSetting`; SOURCES.md §5): `GET|PATCH /accounts/:a/workers/scripts/:script/script-settings`
 * with `{ logpush, observability, tags, tail_consumers }`. PATCH takes JSON (the SDK sends its body
 * params as JSON); omitted fields stay, given ones are validated like an upload's metadata. Fields
 * outside the four are ignored [INF].
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { applyConfigFields } from "../workers/config";
import { configOf, touch } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { accountHost, requireScript } from "./script-host";

const SCRIPT_SETTINGS = ["logpush", "observability", "tags", "tail_consumers"] as const;

function scriptSettingView(r: ScriptRecord): Record<string, unknown> {
  return {
    logpush: r.logpush,
    observability: structuredClone(r.observability ?? null),
    tags: [...r.tags],
    tail_consumers: structuredClone(r.tail_consumers ?? null),
  };
}

function getSettings(ctx: RequestContext): ApiResult {
  return ok(scriptSettingView(requireScript(ctx, accountHost)));
}

function patchSettings(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const body = jsonObjectBody(ctx);
  const input = Object.fromEntries(SCRIPT_SETTINGS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
  const config = applyConfigFields(configOf(script), input);
  ctx.state.mutate(() => {
    Object.assign(script, config);
    touch(script);
  });
  return ok(scriptSettingView(script));
}

const PATH = `${accountHost.scriptPath}/script-settings`;

export const accountScriptSettingRoutes: RouteDefinition[] = [
  { method: "GET", pattern: PATH, handler: getSettings },
  { method: "PATCH", pattern: PATH, handler: patchSettings },
];
