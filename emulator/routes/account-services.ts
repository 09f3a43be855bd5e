/**
 * The legacy "service" view of an account-level Worker, which wrangler still calls (SOURCES.md §5):
 *   GET     /accounts/:a/workers/services/:script   `{ id, default_environment: { environment, script }, … }`
 *   DELETE  /accounts/:a/workers/services/:script   deletes the Worker (`?force` accepted)
 * A missing Worker is 404 / 10090 here, not 10007. Wrangler reads `default_environment.script`
 * (deploy-helpers `deploy/helpers/durable.ts`); the other fields are [INF].
 */
import type { RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { scriptView } from "../workers/views";
import { deleteScript } from "./script-handlers";
import { requireScript, serviceHost } from "./script-host";

/** The default environment: clients address it as `…/services/:name/environments/production/…` (SOURCES.md §5). */
const DEFAULT_ENVIRONMENT = "production";

function getService(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, serviceHost);
  const times = { created_on: script.created_on, modified_on: script.modified_on };
  return ok({ id: script.name, default_environment: { environment: DEFAULT_ENVIRONMENT, ...times, script: scriptView(script) }, ...times });
}

export const accountServiceRoutes: RouteDefinition[] = [
  { method: "GET", pattern: serviceHost.scriptPath, handler: getService },
  { method: "DELETE", pattern: serviceHost.scriptPath, handler: deleteScript(serviceHost) },
];
