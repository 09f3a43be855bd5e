/**
 * Secrets of a Worker in any container (script-host.ts) — `secret_text` / `secret_key` bindings;
 * values never returned:
 *   PUT    …/scripts/:script/secrets           JSON { name, text, type: "secret_text" } → { name, type }
 *   GET    …/scripts/:script/secrets           [{ name, type }]
 *   GET    …/scripts/:script/secrets/:secret   { name, type }             (?url_encoded=true: name is percent-encoded once more)
 *   DELETE …/scripts/:script/secrets/:secret   null
 *   PATCH  …/scripts/:script/secrets-bulk      { secrets: { NAME: {…} | null }, version_tags? } (JSON Merge Patch)
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { isSecretBinding } from "../workers/bindings";
import { findSecret, secretView, validateSecret, withoutSecret, withSecret } from "../workers/secrets";
import { touch } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { deployChange, requireLatestDeployed } from "./account-script-versions";
import { requireScript, type ScriptHost } from "./script-host";

function putSecret(ctx: RequestContext, script: ScriptRecord, host: ScriptHost): ApiResult {
  const secret = validateSecret(jsonObjectBody(ctx));
  setSecrets(ctx, host, script, withSecret(script.bindings, secret));
  return ok(secretView(secret));
}

function listSecrets(_ctx: RequestContext, script: ScriptRecord): ApiResult {
  return ok(script.bindings.filter(isSecretBinding).map(secretView));
}

function getSecret(ctx: RequestContext, script: ScriptRecord): ApiResult {
  const name = secretName(ctx);
  const secret = findSecret(script.bindings, name);
  if (!secret) throw errors.secretNotFound(name);
  return ok(secretView(secret));
}

function deleteSecret(ctx: RequestContext, script: ScriptRecord, host: ScriptHost): ApiResult {
  const name = secretName(ctx);
  if (!findSecret(script.bindings, name)) throw errors.secretNotFound(name);
  setSecrets(ctx, host, script, withoutSecret(script.bindings, name));
  return ok(null);
}

/**
 * JSON Merge Patch over the script's secrets: `null` deletes (absent ones are ignored), an object
 * adds or replaces, omitted names stay. All-or-nothing. Answers every secret of the script after
 * the patch as `{ NAME: { name, type } }` [INF: whether only the patched ones are returned].
 */
function bulkUpdateSecrets(ctx: RequestContext, script: ScriptRecord, host: ScriptHost): ApiResult {
  const body = jsonObjectBody(ctx);
  const secrets = body.secrets ?? {};
  if (secrets === null || typeof secrets !== "object" || Array.isArray(secrets)) {
    throw errors.workerValidation("secrets must be an object mapping secret names to secrets (or null to delete)");
  }
  if (
    body.version_tags !== undefined &&
    (body.version_tags === null || typeof body.version_tags !== "object" || Array.isArray(body.version_tags))
  ) {
    throw errors.workerValidation("version_tags must be an object");
  }
  let bindings = script.bindings;
  for (const [key, value] of Object.entries(secrets as Record<string, unknown>)) {
    if (value === null) {
      bindings = withoutSecret(bindings, key);
      continue;
    }
    const given = (value as Record<string, unknown> | undefined)?.name;
    if (given !== undefined && given !== key) {
      throw errors.workerValidation(`secrets.${key}: the secret's name '${String(given)}' does not match its key '${key}'`);
    }
    const secret = validateSecret(value !== null && typeof value === "object" ? { ...value, name: key } : value, `secrets.${key}`);
    bindings = withSecret(bindings, secret);
  }
  setSecrets(ctx, host, script, bindings);
  return ok(Object.fromEntries(bindings.filter(isSecretBinding).map((b) => [b.name, secretView(b)])));
}

/**
 * Stores the new bindings. On a versioned Worker a secret change deploys a new version, and is refused
 * while the latest version is not the deployed one (10215): WR `secret/index.ts` ("You attempted to modify
 * a secret, but the latest version of your Worker isn't currently deployed … to prevent accidental deployment").
 */
function setSecrets(ctx: RequestContext, host: ScriptHost, script: ScriptRecord, bindings: ScriptRecord["bindings"]): void {
  requireLatestDeployed(ctx, host, script);
  ctx.state.mutate(() => {
    script.bindings = bindings;
    touch(script);
    deployChange(ctx, host, script, "secret");
  });
}

/** `:secret` from the path; with `?url_encoded=true` it is percent-decoded once more [INF]. */
function secretName(ctx: RequestContext): string {
  const name = ctx.params.secret;
  if (ctx.query.get("url_encoded") !== "true") return name;
  try {
    return decodeURIComponent(name);
  } catch {
    throw errors.invalidObjectIdentifier(ctx.fullPath);
  }
}

type SecretHandler = (ctx: RequestContext, script: ScriptRecord, host: ScriptHost) => ApiResult;

/** The secret routes of `host`'s scripts; each handler gets the script resolved (404 / 10007 otherwise). */
export function scriptSecretRoutes(host: ScriptHost): RouteDefinition[] {
  const on = (handler: SecretHandler) => (ctx: RequestContext) => handler(ctx, requireScript(ctx, host), host);
  const path = host.scriptPath;
  return [
    { method: "PUT", pattern: `${path}/secrets`, handler: on(putSecret) },
    { method: "GET", pattern: `${path}/secrets`, handler: on(listSecrets) },
    { method: "GET", pattern: `${path}/secrets/:secret`, handler: on(getSecret) },
    { method: "DELETE", pattern: `${path}/secrets/:secret`, handler: on(deleteSecret) },
    { method: "PATCH", pattern: `${path}/secrets-bulk`, handler: on(bulkUpdateSecrets) },
  ];
}
