/**
 * workers.dev (SOURCES.md §5.4):
 *   GET|PUT|DELETE /accounts/:a/workers/subdomain                  the account subdomain `{ subdomain }`
 *   GET|POST|DELETE /accounts/:a/workers/scripts/:script/subdomain  `{ enabled, previews_enabled }` of an account-level Worker
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";
import { scriptSubdomain, WORKERS_DEV_SUBDOMAIN } from "../workers/workers-dev";
import { accountHost, requireScript } from "./script-host";

const SUBDOMAIN = "/accounts/:accountId/workers/subdomain";
const SCRIPT_SUBDOMAIN = `${accountHost.scriptPath}/subdomain`;

function account(ctx: RequestContext): AccountRecord {
  return ctx.state.getAccount(ctx.params.accountId)!;
}

function getSubdomain(ctx: RequestContext): ApiResult {
  const subdomain = account(ctx).workersDev.subdomain;
  if (subdomain === null) throw errors.workersDevSubdomainNotFound();
  return ok({ subdomain });
}

/** Registers or renames the account subdomain. [INF] No uniqueness across accounts: the emulator has no global registry. */
function putSubdomain(ctx: RequestContext): ApiResult {
  const { subdomain } = jsonObjectBody(ctx);
  if (typeof subdomain !== "string") throw errors.invalidRequestBody("'subdomain' must be a string");
  if (!WORKERS_DEV_SUBDOMAIN.test(subdomain)) throw errors.invalidWorkersDevSubdomain(subdomain);
  ctx.state.mutate(() => (account(ctx).workersDev.subdomain = subdomain));
  return ok({ subdomain });
}

function deleteSubdomain(ctx: RequestContext): ApiResult {
  const wd = account(ctx).workersDev;
  if (wd.subdomain === null) throw errors.workersDevSubdomainNotFound();
  ctx.state.mutate(() => (wd.subdomain = null));
  return ok(null);
}

function getScriptSubdomain(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  return ok(scriptSubdomain(account(ctx).workersDev, script.name));
}

/**
 * `{ enabled, previews_enabled? }`; an omitted `previews_enabled` follows `enabled` [INF]. Allowed
 * without a registered account subdomain [INF]: the toggle only takes effect once one exists.
 */
function postScriptSubdomain(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const body = jsonObjectBody(ctx);
  if (typeof body.enabled !== "boolean") throw errors.invalidRequestBody("'enabled' must be a boolean");
  if (body.previews_enabled !== undefined && typeof body.previews_enabled !== "boolean") {
    throw errors.invalidRequestBody("'previews_enabled' must be a boolean");
  }
  const value = { enabled: body.enabled, previews_enabled: body.previews_enabled ?? body.enabled };
  ctx.state.mutate(() => (account(ctx).workersDev.scripts[script.name] = value));
  return ok({ ...value });
}

/** "Disable all workers.dev subdomains for a Worker script": both flags off. */
function deleteScriptSubdomain(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const value = { enabled: false, previews_enabled: false };
  ctx.state.mutate(() => (account(ctx).workersDev.scripts[script.name] = value));
  return ok({ ...value });
}

export const workersSubdomainRoutes: RouteDefinition[] = [
  { method: "GET", pattern: SUBDOMAIN, handler: getSubdomain },
  { method: "PUT", pattern: SUBDOMAIN, handler: putSubdomain },
  { method: "DELETE", pattern: SUBDOMAIN, handler: deleteSubdomain },
  { method: "GET", pattern: SCRIPT_SUBDOMAIN, handler: getScriptSubdomain },
  { method: "POST", pattern: SCRIPT_SUBDOMAIN, handler: postScriptSubdomain },
  { method: "DELETE", pattern: SCRIPT_SUBDOMAIN, handler: deleteScriptSubdomain },
];
