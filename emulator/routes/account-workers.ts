/**
 * The Workers resource (SOURCES.md §5.9), the newer view of an account-level Worker:
 *   GET /accounts/:a/workers/workers/:worker   SDK `workers.beta.workers.get` → `Worker`
 * `:worker` is the Worker's id or its name (SDK `VersionCreateParams` path param: "Identifier for the Worker,
 * which can be ID or name"); wrangler asks by name before it sets the workers.dev toggle on deploy (WR
 * `deploy-helpers/src/triggers/subdomain.ts` `getWorkerSubdomain`, which reads `subdomain.enabled`,
 * `previews_enabled`, `url` and `preview_url_suffix`). Only the read is served: the create, replace, edit and
 * delete of this resource are not implemented (§13).
 */
import type { Worker } from "cloudflare/resources/workers/beta/workers/workers";
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";
import { dependentsOf } from "../workers/references";
import { scriptsByName } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { scriptSubdomain } from "../workers/workers-dev";

const WORKER = "/accounts/:accountId/workers/workers/:worker";

/** By id (the Worker's immutable `tag`, [INF]) or by name; 404 / 10007 otherwise, the Workers API's "does not exist" [INF for this path]. */
function requireWorker(account: AccountRecord, idOrName: string): ScriptRecord {
  const worker = scriptsByName(account.scripts).find((s) => s.name === idOrName || s.tag === idOrName);
  if (!worker) throw errors.scriptNotFound();
  return worker;
}

/** SDK `Worker.subdomain`: `url` and `preview_url_suffix` are present exactly when the account owns a workers.dev subdomain. */
function subdomainOf(account: AccountRecord, name: string): Worker.Subdomain {
  const toggle = scriptSubdomain(account.workersDev, name);
  const accountSubdomain = account.workersDev.subdomain;
  if (accountSubdomain === null) return toggle;
  const host = `${name}.${accountSubdomain}.workers.dev`;
  return { ...toggle, url: `https://${host}`, preview_url_suffix: `-${host}` };
}

function referencesOf(account: AccountRecord, worker: ScriptRecord): Worker.References {
  const { serviceBindings, outbounds } = dependentsOf(scriptsByName(account.scripts), worker.name);
  return {
    dispatch_namespace_outbounds: outbounds.map(({ from, namespace }) => ({
      namespace_id: account.dispatchNamespaces.find((n) => n.namespace_name === namespace)?.namespace_id ?? "",
      namespace_name: namespace,
      worker_id: from.tag,
      worker_name: from.name,
    })),
    domains: account.workerDomains
      .filter((d) => d.service === worker.name)
      .map((d) => ({ id: d.id, certificate_id: d.cert_id, hostname: d.hostname, zone_id: d.zone_id, zone_name: d.zone_name })),
    // Durable Object namespaces and queues have no API here (SOURCES.md §13): nothing can reference the Worker through them.
    durable_objects: [],
    queues: [],
    workers: serviceBindings.map(({ from }) => ({ id: from.tag, name: from.name })),
  };
}

export function workerView(account: AccountRecord, worker: ScriptRecord): Worker {
  const deployments = account.scriptHistory[worker.name]?.deployments ?? [];
  return {
    id: worker.tag,
    name: worker.name,
    created_on: worker.created_on,
    updated_on: worker.modified_on,
    deployed_on: deployments.at(-1)?.created_on ?? null,
    logpush: worker.logpush,
    observability: structuredClone(worker.observability ?? {}),
    references: referencesOf(account, worker),
    subdomain: subdomainOf(account, worker.name),
    tags: [...worker.tags],
    tail_consumers: (worker.tail_consumers ?? []).map((c) => ({ name: String(c.service) })),
  };
}

function getWorker(ctx: RequestContext): ApiResult {
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  return ok(workerView(account, requireWorker(account, ctx.params.worker)));
}

export const accountWorkerRoutes: RouteDefinition[] = [{ method: "GET", pattern: WORKER, handler: getWorker }];
