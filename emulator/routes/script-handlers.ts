/**
 * Handlers shared by every script container (see script-host.ts): upload (upsert), delete, code-only
 * PUT, settings and bindings, and the answers that carry the code itself. Parsing and validation
 * live in ../workers/*; these only wire a request to a container.
 */
import { jsonObjectBody, requestHeader, type RequestContext } from "../context";
import { errors, ok, okRaw, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { isValidName } from "../validation";
import { publicBinding, resolveBindings, validateBindings } from "../workers/bindings";
import { applyConfigFields } from "../workers/config";
import { encodeMultipart, mediaType } from "../workers/multipart";
import { redeemCompletion } from "../workers/assets";
import { configOf, findScript, partNamesOf, putScript, removeScript, replaceCode, touch } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { jsonPartObject, parseContentUpload, parseWorkerUpload, readMultipart, rejectBracketEncoding } from "../workers/upload";
import { scriptView, settingsView, uploadResultView } from "../workers/views";
import { deployChange } from "./account-script-versions";
import { requireScript, type ScriptHost } from "./script-host";

/** `PUT …/scripts/:script`: creates or replaces the Worker (code + configuration). */
function uploadScript(host: ScriptHost) {
  return (ctx: RequestContext): ApiResult => {
    const container = host.container(ctx);
    const name = ctx.params.script;
    if (!isValidName(name, host.nameRule)) throw errors.invalidScriptName(name, host.nameRule.description);
    const version = parseWorkerUpload(
      { contentType: requestHeader(ctx, "content-type"), body: ctx.rawBody },
      {
        previous: findScript(container, name),
        bindingsInherit: ctx.query.get("bindings_inherit"),
        annotations: host.annotations,
        redeemAssets: (jwt) => redeemCompletion(ctx.state.getAccount(ctx.params.accountId)!.assets, jwt),
      },
    );
    // No other script changes (the version history and asset tokens are not scripts).
    const { record, versionId } = ctx.state.mutate(
      () => {
        const record = putScript(container, name, version);
        return { record, versionId: deployChange(ctx, host, record, "upload") };
      },
      { onlyScripts: { container, names: [name] } },
    );
    // wrangler reads the deployed version's id from `deployment_id` (deploy.ts: "version id not deployment id").
    return ok(versionId === undefined ? uploadResultView(record) : { ...uploadResultView(record), deployment_id: versionId });
  };
}

/** `DELETE …/scripts/:script`; `?force=true` is accepted — the emulator tracks no references between Workers. */
export function deleteScript(host: ScriptHost) {
  return (ctx: RequestContext): ApiResult => {
    const script = requireScript(ctx, host);
    const container = host.container(ctx);
    ctx.state.mutate(
      () => {
        removeScript(container, script.name);
        host.onRemoved?.(ctx, script.name);
      },
      { onlyScripts: { container, names: [script.name] } },
    );
    return ok(null);
  };
}

/** `PUT …/content`: replaces the code only; bindings and settings stay. Answers `<Script>`. */
function putContent(host: ScriptHost) {
  return (ctx: RequestContext): ApiResult => {
    const script = requireScript(ctx, host);
    const code = parseContentUpload({
      contentType: requestHeader(ctx, "content-type"),
      body: ctx.rawBody,
      mainModulePart: requestHeader(ctx, "cf-worker-main-module-part"),
      bodyPart: requestHeader(ctx, "cf-worker-body-part"),
    });
    ctx.state.mutate(() => {
      replaceCode(script, code);
      deployChange(ctx, host, script, "upload");
    });
    return ok(scriptView(script));
  };
}

/**
 * `PATCH …/settings`: omitted fields stay; given ones are validated like an upload's metadata.
 * `bindings`, when given, replace the list (secrets included: keep them with `inherit` bindings) [INF].
 */
function patchSettings(host: ScriptHost) {
  return (ctx: RequestContext): ApiResult => {
    const script = requireScript(ctx, host);
    const input = readSettingsBody(ctx);
    const config = applyConfigFields(configOf(script), input, { annotations: host.annotations });
    if (input.bindings !== undefined) {
      const bindings = validateBindings(input.bindings, { partNames: partNamesOf(script) });
      config.bindings = resolveBindings(bindings, script.bindings, [], ctx.query.get("bindings_inherit") === "strict");
    }
    ctx.state.mutate(() => {
      Object.assign(script, config);
      touch(script);
      deployChange(ctx, host, script);
    });
    return ok(settingsView(script));
  };
}

/** Multipart with one `settings` JSON part (Cloudflare's format), or [INF] a JSON body (`{ settings }` or the settings object). */
function readSettingsBody(ctx: RequestContext): Record<string, unknown> {
  const contentType = requestHeader(ctx, "content-type");
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

/** The modules as multipart/form-data (entry module first), entry point in `cf-entrypoint`. */
export function modulesAnswer(script: ScriptRecord): ApiResult {
  const { body, contentType } = encodeMultipart(
    script.modules.map((m) => ({
      name: m.name,
      filename: m.name,
      contentType: m.content_type,
      body: Buffer.from(m.content_base64, "base64"),
    })),
  );
  return okRaw(body, contentType, { "cf-entrypoint": script.main_module });
}

/**
 * The code as Cloudflare's "download Worker" answers it: a module Worker as multipart (entry first),
 * a service-worker script as its raw text with its Content-Type (cloudflare-go's DownloadWorker
 * reads exactly these two shapes).
 */
export function codeAnswer(script: ScriptRecord): ApiResult {
  if (script.has_modules) return modulesAnswer(script);
  const main = script.modules[0];
  return okRaw(Buffer.from(main.content_base64, "base64"), main.content_type, { "cf-entrypoint": script.main_module });
}

/** Routes every container has: upload, delete, code-only PUT, settings. */
export function sharedScriptRoutes(host: ScriptHost): RouteDefinition[] {
  const path = host.scriptPath;
  return [
    { method: "PUT", pattern: path, handler: uploadScript(host) },
    { method: "DELETE", pattern: path, handler: deleteScript(host) },
    { method: "PUT", pattern: `${path}/content`, handler: putContent(host) },
    { method: "GET", pattern: `${path}/settings`, handler: (ctx) => ok(settingsView(requireScript(ctx, host))) },
    { method: "PATCH", pattern: `${path}/settings`, handler: patchSettings(host) },
  ];
}

/** `GET …/bindings` (namespaced scripts in SDK 7.3.0): bindings without secret values. */
export function bindingsRoute(host: ScriptHost): RouteDefinition {
  return {
    method: "GET",
    pattern: `${host.scriptPath}/bindings`,
    handler: (ctx) => ok(requireScript(ctx, host).bindings.map(publicBinding)),
  };
}
