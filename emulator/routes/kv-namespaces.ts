/**
 * Workers KV namespaces (SOURCES.md §6), `/accounts/:accountId/storage/kv/namespaces`:
 *   POST            create `{ title, jurisdiction? }` (title unique per account: 400 / 10014; missing: 400 / 10019)
 *   GET             list, page-number pagination, `order=id|title`, `direction=asc|desc`
 *   GET|PUT|DELETE  /:namespaceId  read / rename `{ title }` / delete (→ `{}`); unknown id: 404 / 10013
 */
import { jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { randomHex32 } from "../ids";
import { kvNamespaceView, type KvNamespaceRecord } from "../kv/records";
import { pagedResult, sortedByQuery } from "../pagination";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";

export const KV_NAMESPACES = "/accounts/:accountId/storage/kv/namespaces";

/** [INF] KV namespace list: 20 per page by default, 5 to 1000. */
const KV_PAGES = { defaultPerPage: 20, maxPerPage: 1000, minPerPage: 5 };

const JURISDICTIONS = ["eu", "fedramp", "us"];

function account(ctx: RequestContext): AccountRecord {
  return ctx.state.getAccount(ctx.params.accountId)!;
}

/** The namespace named by `:namespaceId`; 404 / 10013 otherwise. */
export function requireKvNamespace(ctx: RequestContext): KvNamespaceRecord {
  const ns = account(ctx).kvNamespaces.find((n) => n.id === ctx.params.namespaceId);
  if (!ns) throw errors.kvNamespaceNotFound();
  return ns;
}

/** A non-empty title no other namespace of the account has. */
function freeTitle(ctx: RequestContext, value: unknown, self?: KvNamespaceRecord): string {
  if (value === undefined || value === null || value === "") throw errors.kvNamespaceTitleRequired();
  if (typeof value !== "string") throw errors.invalidRequestBody("'title' must be a string");
  if (account(ctx).kvNamespaces.some((n) => n !== self && n.title === value)) throw errors.kvNamespaceTitleTaken();
  return value;
}

function createNamespace(ctx: RequestContext): ApiResult {
  const body = jsonObjectBody(ctx);
  const title = freeTitle(ctx, body.title);
  const ns: KvNamespaceRecord = { id: randomHex32(), title, supports_url_encoding: true, entries: [] };
  if (body.jurisdiction !== undefined) {
    if (!JURISDICTIONS.includes(body.jurisdiction as string)) {
      throw errors.invalidRequestBody(`'jurisdiction' must be one of ${JURISDICTIONS.join(", ")}`);
    }
    ns.jurisdiction = body.jurisdiction as string;
  }
  ctx.state.mutate(() => account(ctx).kvNamespaces.push(ns));
  return ok(kvNamespaceView(ns));
}

/** Creation order unless `order` is given (then ascending unless `direction=desc`). */
function listNamespaces(ctx: RequestContext): ApiResult {
  const order = ctx.query.get("order");
  const key = (n: KvNamespaceRecord) => (order === "id" ? n.id : n.title);
  const direction = order === "id" || order === "title" ? (ctx.query.get("direction") ?? "asc") : null;
  const sorted = sortedByQuery(account(ctx).kvNamespaces, direction, key);
  return pagedResult(sorted.map(kvNamespaceView), ctx.query, KV_PAGES);
}

function renameNamespace(ctx: RequestContext): ApiResult {
  const ns = requireKvNamespace(ctx);
  const title = freeTitle(ctx, jsonObjectBody(ctx).title, ns);
  ctx.state.mutate(() => (ns.title = title));
  return ok(kvNamespaceView(ns));
}

function deleteNamespace(ctx: RequestContext): ApiResult {
  const ns = requireKvNamespace(ctx);
  const acc = account(ctx);
  ctx.state.mutate(() => (acc.kvNamespaces = acc.kvNamespaces.filter((n) => n !== ns)));
  return ok({});
}

export const kvNamespaceRoutes: RouteDefinition[] = [
  { method: "POST", pattern: KV_NAMESPACES, handler: createNamespace },
  { method: "GET", pattern: KV_NAMESPACES, handler: listNamespaces },
  { method: "GET", pattern: `${KV_NAMESPACES}/:namespaceId`, handler: (ctx) => ok(kvNamespaceView(requireKvNamespace(ctx))) },
  { method: "PUT", pattern: `${KV_NAMESPACES}/:namespaceId`, handler: renameNamespace },
  { method: "DELETE", pattern: `${KV_NAMESPACES}/:namespaceId`, handler: deleteNamespace },
];
