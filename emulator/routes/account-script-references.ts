/**
 * What depends on an account-level Worker, which wrangler asks before `wrangler delete` (SOURCES.md §5.7):
 *   GET /accounts/:a/workers/scripts/:script/references   `{ services: { incoming, pages_function }, durable_objects, dispatch_outbounds }`
 *   GET /accounts/:a/workers/tails/by-consumer/:script    `[{ producer: { service, environment } }]`
 * Computed from the stored Workers: service bindings to it, dispatch namespace bindings naming it as
 * their outbound Worker, and Workers naming it in `tail_consumers`.
 */
import type { RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { dependentsOf } from "../workers/references";
import { scriptsByName } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { accountHost, requireScript } from "./script-host";

/** Account Workers are addressed as services in their only environment (SOURCES.md §5). */
const ENVIRONMENT = "production";

function accountScripts(ctx: RequestContext): ScriptRecord[] {
  return scriptsByName(accountHost.container(ctx));
}

function getReferences(ctx: RequestContext): ApiResult {
  const name = requireScript(ctx, accountHost).name;
  const { serviceBindings, outbounds } = dependentsOf(accountScripts(ctx), name);
  return ok({
    services: {
      incoming: serviceBindings.map((r) => ({ service: r.from.name, environment: ENVIRONMENT, name: r.binding })),
      pages_function: false,
    },
    durable_objects: [],
    dispatch_outbounds: outbounds.map((r) => ({ service: r.from.name, environment: ENVIRONMENT, namespace: r.namespace })),
  });
}

/** Producers whose `tail_consumers` name the Worker; a Worker that does not exist simply has none [INF]. */
function getTailProducers(ctx: RequestContext): ApiResult {
  const name = ctx.params.script;
  const producers = accountScripts(ctx).filter((s) => (s.tail_consumers ?? []).some((c) => c.service === name));
  return ok(producers.map((s) => ({ producer: { service: s.name, environment: ENVIRONMENT } })));
}

export const accountScriptReferenceRoutes: RouteDefinition[] = [
  { method: "GET", pattern: `${accountHost.scriptPath}/references`, handler: getReferences },
  { method: "GET", pattern: "/accounts/:accountId/workers/tails/by-consumer/:script", handler: getTailProducers },
];
