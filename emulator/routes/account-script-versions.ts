/**
 * Versions and deployments of an account-level Worker (SOURCES.md §5.5):
 *   POST        /workers/scripts/:script/versions                  upload a version without deploying it
 *   GET         /workers/scripts/:script/versions                  `{ items: [newest first] }` (`?deployable`, `page`, `per_page`)
 *   GET         /workers/scripts/:script/versions/:version         one version with its `resources`
 *   POST        /workers/scripts/:script/deployments               `{ strategy: "percentage", versions: [{ version_id, percentage }] }`
 *   GET         /workers/scripts/:script/deployments               `{ deployments: [newest first] }`
 *   GET|DELETE  /workers/scripts/:script/deployments/:deployment   one deployment; the latest cannot be deleted
 * Uploads, code and settings changes and secrets record a version and deploy it (`deployChange`).
 */
import { jsonObjectBody, requestHeader, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { publicBinding } from "../workers/bindings";
import {
  addDeployment,
  addVersion,
  emptyHistory,
  findVersion,
  latestDeployment,
  recordDeployment,
  type ScriptHistory,
  type Trigger,
  type VersionRecord,
  workerVersionOf,
} from "../workers/history";
import { parseWorkerUpload } from "../workers/upload";
import type { ScriptRecord } from "../workers/types";
import { accountHost, requireScript, type ScriptHost } from "./script-host";

/** The Worker's history, created on first use (own-property lookup: a Worker may be named "constructor"). */
function historyOf(host: ScriptHost, ctx: RequestContext, name: string): ScriptHistory | undefined {
  const all = host.histories?.(ctx);
  if (!all) return undefined;
  if (!Object.prototype.hasOwnProperty.call(all, name)) all[name] = emptyHistory();
  return all[name];
}

/**
 * Who made it, for `metadata.source`: wrangler identifies itself in its User-Agent (`wrangler/<version>`);
 * everything else counts as the API [INF: how Cloudflare tells sources apart is not documented].
 */
function sourceOf(ctx: RequestContext): VersionRecord["source"] {
  return /^wrangler\//i.test(requestHeader(ctx, "user-agent") ?? "") ? "wrangler" : "api";
}

/**
 * After a change to what a versioned Worker runs (inside the caller's `mutate`): records the record's
 * current code and configuration as a version and deploys it at 100%. Returns the version id, or
 * undefined for containers without versions (dispatch namespaces).
 */
export function deployChange(ctx: RequestContext, host: ScriptHost, script: ScriptRecord, trigger?: Trigger): string | undefined {
  const history = historyOf(host, ctx, script.name);
  if (!history) return undefined;
  const source = sourceOf(ctx);
  const version = addVersion(history, workerVersionOf(script), { source, trigger, annotations: script.annotations });
  recordDeployment(history, [{ version_id: version.id, percentage: 100 }], { source, trigger });
  return version.id;
}

/** Throws 10215 when a versioned Worker's newest version is not what its latest deployment serves in full. */
export function requireLatestDeployed(ctx: RequestContext, host: ScriptHost, script: ScriptRecord): void {
  const history = historyOf(host, ctx, script.name);
  if (!history || history.versions.length === 0) return;
  const newest = history.versions.at(-1)!.id;
  const serving = latestDeployment(history)?.versions;
  if (!(serving?.length === 1 && serving[0].version_id === newest)) throw errors.versionNotDeployed();
}

function requireHistory(ctx: RequestContext): { script: ScriptRecord; history: ScriptHistory } {
  const script = requireScript(ctx, accountHost);
  return { script, history: historyOf(accountHost, ctx, script.name)! };
}

/** SDK `VersionListResponse`: `{ id, number, metadata }`. */
function versionSummary(v: VersionRecord) {
  return {
    id: v.id,
    number: v.number,
    metadata: { created_on: v.created_on, modified_on: v.created_on, source: v.source, hasPreview: false },
    annotations: { ...v.annotations },
  };
}

/** SDK `VersionGetResponse`: the summary plus `resources` (bindings without secret values, script, runtime). */
function versionView(v: VersionRecord) {
  const w = v.worker;
  const runtime: Record<string, unknown> = {
    compatibility_date: w.compatibility_date,
    compatibility_flags: [...w.compatibility_flags],
    usage_model: w.usage_model,
  };
  if (w.limits !== undefined) runtime.limits = { ...w.limits };
  if (w.migration_tag !== undefined) runtime.migration_tag = w.migration_tag;
  return {
    ...versionSummary(v),
    resources: {
      bindings: w.bindings.map(publicBinding),
      script: { etag: w.etag, handlers: [...w.handlers] },
      script_runtime: runtime,
    },
  };
}

/**
 * `POST …/versions`: the upload of §3.2 (`bindings_inherit` resolves against the deployed version),
 * restricted to ES-module Workers — SDK `VersionCreateParams.Metadata.main_module`: "a `module syntax`
 * Worker, which is required for Version Upload". The Worker must exist [INF]. Nothing is deployed.
 */
function uploadVersion(ctx: RequestContext): ApiResult {
  const { script, history } = requireHistory(ctx);
  const worker = parseWorkerUpload(
    { contentType: requestHeader(ctx, "content-type"), body: ctx.rawBody },
    { previous: script, bindingsInherit: ctx.query.get("bindings_inherit"), annotations: true },
  );
  if (!worker.has_modules)
    throw errors.workerValidation("Version upload requires an ES-module Worker: give metadata.main_module, not body_part.");
  const version = ctx.state.mutate(() =>
    addVersion(history, worker, { source: sourceOf(ctx), trigger: "upload", annotations: worker.annotations }),
  );
  return ok({ ...versionView(version), startup_time_ms: 0 });
}

/**
 * `GET …/versions`, newest first, page-numbered (SDK `V4PagePagination`: `result.items`; `page`, `per_page`
 * default 1 / 10 [INF]). `?deployable=true` ignores pagination (SDK `VersionListParams.deployable`); every
 * stored version is deployable here.
 */
function listVersions(ctx: RequestContext): ApiResult {
  const { history } = requireHistory(ctx);
  const newestFirst = [...history.versions].reverse().map(versionSummary);
  if (ctx.query.get("deployable") === "true") return ok({ items: newestFirst });
  const page = positiveInt(ctx.query.get("page"), 1, "page");
  const perPage = positiveInt(ctx.query.get("per_page"), 10, "per_page");
  const items = newestFirst.slice((page - 1) * perPage, page * perPage);
  return ok({ items }, { page, per_page: perPage, count: items.length, total_count: newestFirst.length });
}

function positiveInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw errors.invalidQuery(`${name} must be a positive integer`);
  return n;
}

/** 404 / 10316 for an unknown version (§4); wording [INF]. */
function requireVersion(history: ScriptHistory, id: string): VersionRecord {
  const version = findVersion(history, id);
  if (!version) throw errors.versionNotFound(id);
  return version;
}

function getVersion(ctx: RequestContext): ApiResult {
  return ok(versionView(requireVersion(requireHistory(ctx).history, ctx.params.version)));
}

/**
 * `POST …/deployments`: SDK `DeploymentCreateParams` — `strategy: "percentage"`, `versions` of this
 * Worker whose percentages total 100, optional `annotations["workers/message"]`. One or two versions
 * (DOCS gradual deployments: "split traffic between two versions") [INF for the error wording].
 */
function createDeployment(ctx: RequestContext): ApiResult {
  const { script, history } = requireHistory(ctx);
  const body = jsonObjectBody(ctx);
  if (body.strategy !== "percentage") throw errors.invalidRequestBody("'strategy' must be \"percentage\"");
  if (!Array.isArray(body.versions) || body.versions.length < 1 || body.versions.length > 2) {
    throw errors.invalidRequestBody("'versions' must list one or two { version_id, percentage } objects");
  }
  const split = body.versions.map((entry: unknown, i: number) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.version_id !== "string") throw errors.invalidRequestBody(`versions[${i}].version_id must be a string`);
    if (typeof e.percentage !== "number" || !(e.percentage >= 0 && e.percentage <= 100)) {
      throw errors.invalidRequestBody(`versions[${i}].percentage must be a number from 0 to 100`);
    }
    requireVersion(history, e.version_id);
    return { version_id: e.version_id, percentage: e.percentage };
  });
  if (new Set(split.map((v) => v.version_id)).size !== split.length)
    throw errors.invalidRequestBody("a version may appear only once in 'versions'");
  const total = split.reduce((sum, v) => sum + v.percentage, 0);
  if (Math.abs(total - 100) > 1e-9) throw errors.invalidRequestBody(`the percentages of 'versions' must total 100, got ${total}`);
  const message = readMessage(body.annotations);
  const deployment = ctx.state.mutate(() => addDeployment(history, script, split, { source: sourceOf(ctx), annotations: message }));
  return ok(deploymentView(deployment));
}

function readMessage(annotations: unknown): Record<string, string> {
  if (annotations === undefined || annotations === null) return {};
  const message = (annotations as Record<string, unknown>)["workers/message"];
  if (typeof annotations !== "object" || (message !== undefined && typeof message !== "string")) {
    throw errors.invalidRequestBody("'annotations' must be an object whose 'workers/message' is a string");
  }
  return message === undefined ? {} : { "workers/message": message };
}

function deploymentView(d: ScriptHistory["deployments"][number]) {
  return {
    id: d.id,
    created_on: d.created_on,
    source: d.source,
    strategy: d.strategy,
    versions: d.versions.map((v) => ({ ...v })),
    annotations: { ...d.annotations },
  };
}

/** `GET …/deployments`: "The first deployment in the list is the latest deployment actively serving traffic" (SDK). */
function listDeployments(ctx: RequestContext): ApiResult {
  const { history } = requireHistory(ctx);
  return ok({ deployments: [...history.deployments].reverse().map(deploymentView) });
}

/** 404 / 10318 for an unknown deployment (§4); wording [INF]. */
function requireDeployment(history: ScriptHistory, id: string) {
  const deployment = history.deployments.find((d) => d.id === id);
  if (!deployment) throw errors.deploymentNotFound(id);
  return deployment;
}

/** "The latest deployment, which is actively serving traffic, cannot be deleted" (SDK `deployments.delete`). */
function deleteDeployment(ctx: RequestContext): ApiResult {
  const { history } = requireHistory(ctx);
  const deployment = requireDeployment(history, ctx.params.deployment);
  if (deployment === latestDeployment(history)) throw errors.activeDeploymentNotDeletable();
  ctx.state.mutate(() => {
    history.deployments = history.deployments.filter((d) => d !== deployment);
  });
  return ok(null);
}

/** The stored version `?version=` names, for `content/v2?version=` (wrangler `versions secret put`). */
export function versionWorker(ctx: RequestContext, id: string) {
  return requireVersion(requireHistory(ctx).history, id).worker;
}

const SCRIPT = accountHost.scriptPath;

export const accountScriptVersionRoutes: RouteDefinition[] = [
  { method: "POST", pattern: `${SCRIPT}/versions`, handler: uploadVersion },
  { method: "GET", pattern: `${SCRIPT}/versions`, handler: listVersions },
  { method: "GET", pattern: `${SCRIPT}/versions/:version`, handler: getVersion },
  { method: "POST", pattern: `${SCRIPT}/deployments`, handler: createDeployment },
  { method: "GET", pattern: `${SCRIPT}/deployments`, handler: listDeployments },
  {
    method: "GET",
    pattern: `${SCRIPT}/deployments/:deployment`,
    handler: (ctx) => ok(deploymentView(requireDeployment(requireHistory(ctx).history, ctx.params.deployment))),
  },
  { method: "DELETE", pattern: `${SCRIPT}/deployments/:deployment`, handler: deleteDeployment },
];
