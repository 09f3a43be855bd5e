/**
 * Workers for Platforms dispatch namespaces:
 * `POST|GET /accounts/:accountId/workers/dispatch/namespaces` and
 * `GET|PUT|PATCH|DELETE /accounts/:accountId/workers/dispatch/namespaces/:namespace`.
 * Names are the path key and unique per account. Later slices (scripts, settings, tags, secrets)
 * resolve their namespace through `requireVisibleNamespace` so the visibility delay and the
 * 404/100119 answer stay identical everywhere.
 */
import type { RequestContext } from "../context";
import { jsonObjectBody } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { cfTimestamp, uuid } from "../ids";
import type { RouteDefinition } from "../router";
import type { NamespaceRecord } from "../state";
import { isValidName, NAMESPACE_NAME_RULE } from "../validation";

/**
 * [INF] PUT is treated as a replacement of the writable fields: an omitted `trusted_workers` goes
 * back to false (PATCH leaves omitted fields unchanged). A provider that always sends both fields
 * is correct under either reading; flip this to false if Cloudflare turns out to keep the value.
 */
export const PUT_RESETS_OMITTED_TRUSTED_WORKERS = true;

const BASE = "/accounts/:accountId/workers/dispatch/namespaces";

/** The namespace object as the API returns it. */
export function namespaceView(ns: NamespaceRecord) {
  return {
    namespace_id: ns.namespace_id,
    namespace_name: ns.namespace_name,
    created_on: ns.created_on,
    created_by: ns.created_by,
    modified_on: ns.modified_on,
    modified_by: ns.modified_by,
    script_count: Object.keys(ns.scripts).length,
    trusted_workers: ns.trusted_workers,
  };
}

/** Key used for the visibility delay (by id, so a rename does not reveal it early). */
export function namespaceResourceKey(accountId: string, ns: NamespaceRecord): string {
  return `dispatch-namespace:${accountId}:${ns.namespace_id}`;
}

/** The namespace named by `:namespace`, ignoring the visibility delay (writes to the namespace itself). */
export function requireNamespace(ctx: RequestContext): NamespaceRecord {
  const name = ctx.params.namespace;
  const ns = ctx.state.findNamespace(ctx.params.accountId, name);
  if (!ns) throw errors.namespaceNotFound(name);
  return ns;
}

/** The namespace for reads and for any sub-resource call: a just-created one may still be "missing". */
export function requireVisibleNamespace(ctx: RequestContext): NamespaceRecord {
  const ns = requireNamespace(ctx);
  if (ctx.faults.isHidden(namespaceResourceKey(ctx.params.accountId, ns))) throw errors.namespaceNotFound(ns.namespace_name);
  return ns;
}

/** Validates a requested name (create or rename). */
function validName(value: unknown): string {
  if (typeof value !== "string") throw errors.invalidRequestBody("'name' must be a string");
  if (!isValidName(value, NAMESPACE_NAME_RULE)) throw errors.invalidNamespaceName(value, NAMESPACE_NAME_RULE.description);
  return value;
}

function createNamespace(ctx: RequestContext): ApiResult {
  const body = jsonObjectBody(ctx);
  // [INF] `name` is optional in Cloudflare's spec; the emulator requires it. Other fields (even
  // `trusted_workers`, absent from the SDK's create params) are ignored: set trust with PUT/PATCH.
  if (body.name === undefined || body.name === null || body.name === "") throw errors.namespaceNameRequired();
  const name = validName(body.name);
  const accountId = ctx.params.accountId;
  // Hidden (just-created) namespaces count: the duplicate check reads the primary, not a replica.
  if (ctx.state.findNamespace(accountId, name)) throw errors.namespaceAlreadyExists(name);
  const now = cfTimestamp();
  const who = ctx.principal!.userId;
  const ns: NamespaceRecord = {
    namespace_id: uuid(),
    namespace_name: name,
    created_on: now,
    modified_on: now,
    created_by: who,
    modified_by: who,
    trusted_workers: false,
    scripts: {},
  };
  ctx.state.mutate(() => ctx.state.getAccount(accountId)!.dispatchNamespaces.push(ns));
  ctx.faults.markCreated(namespaceResourceKey(accountId, ns));
  return ok(namespaceView(ns));
}

function listNamespaces(ctx: RequestContext): ApiResult {
  const accountId = ctx.params.accountId;
  const all = ctx.state.getAccount(accountId)!.dispatchNamespaces;
  const visible = all.filter((ns) => !ctx.faults.isHidden(namespaceResourceKey(accountId, ns)));
  // No pagination: the SDK reads this as a SinglePage.
  return ok(visible.map(namespaceView));
}

function getNamespace(ctx: RequestContext): ApiResult {
  return ok(namespaceView(requireVisibleNamespace(ctx)));
}

function deleteNamespace(ctx: RequestContext): ApiResult {
  const ns = requireNamespace(ctx);
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  // Deleting a namespace deletes the scripts inside it (3P-reported; the scripts map goes with it).
  ctx.state.mutate(() => {
    account.dispatchNamespaces = account.dispatchNamespaces.filter((n) => n !== ns);
  });
  return ok(null);
}

function updateNamespace(ctx: RequestContext, mode: "put" | "patch"): ApiResult {
  const ns = requireNamespace(ctx);
  const body = jsonObjectBody(ctx);
  const newName = body.name === undefined ? ns.namespace_name : validName(body.name);
  let trusted = ns.trusted_workers;
  if (body.trusted_workers !== undefined) {
    if (typeof body.trusted_workers !== "boolean") throw errors.invalidRequestBody("'trusted_workers' must be a boolean");
    trusted = body.trusted_workers;
  } else if (mode === "put" && PUT_RESETS_OMITTED_TRUSTED_WORKERS) {
    trusted = false;
  }
  if (newName !== ns.namespace_name && ctx.state.findNamespace(ctx.params.accountId, newName)) {
    throw errors.namespaceAlreadyExists(newName);
  }
  ctx.state.mutate(() => {
    ns.namespace_name = newName;
    ns.trusted_workers = trusted;
    ns.modified_on = cfTimestamp();
    ns.modified_by = ctx.principal!.userId;
  });
  return ok(namespaceView(ns));
}

export const dispatchNamespaceRoutes: RouteDefinition[] = [
  { method: "POST", pattern: BASE, handler: createNamespace },
  { method: "GET", pattern: BASE, handler: listNamespaces },
  { method: "GET", pattern: `${BASE}/:namespace`, handler: getNamespace },
  { method: "PUT", pattern: `${BASE}/:namespace`, handler: (ctx) => updateNamespace(ctx, "put") },
  { method: "PATCH", pattern: `${BASE}/:namespace`, handler: (ctx) => updateNamespace(ctx, "patch") },
  { method: "DELETE", pattern: `${BASE}/:namespace`, handler: deleteNamespace },
];
