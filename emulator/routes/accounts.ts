/**
 * `GET /accounts` (page-number pagination) and `GET /accounts/:accountId`.
 * Only accounts the credential can see are listed; access to a single account is checked by the
 * server before the handler runs (every `:accountId` route gets that check).
 */
import { canSeeAccount } from "../auth";
import type { RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import { pagedResult, sortedByQuery } from "../pagination";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";

/** [INF] Cloudflare's account list: 20 per page by default, at most 50; out-of-range values are clamped. */
const ACCOUNT_PAGES = { defaultPerPage: 20, maxPerPage: 50 };

/** The account object as the API returns it. */
export function accountView(a: AccountRecord) {
  return { id: a.id, name: a.name, type: a.type, settings: { ...a.settings }, created_on: a.created_on };
}

function listAccounts(ctx: RequestContext): ApiResult {
  const principal = ctx.principal!;
  let accounts = ctx.state.allAccounts().filter((a) => canSeeAccount(principal, a.id));
  const name = ctx.query.get("name");
  if (name) accounts = accounts.filter((a) => a.name.toLowerCase().includes(name.toLowerCase()));
  accounts = sortedByQuery(accounts, ctx.query.get("direction"), (a) => a.name);
  return pagedResult(accounts.map(accountView), ctx.query, ACCOUNT_PAGES);
}

function getAccount(ctx: RequestContext): ApiResult {
  // Existence and visibility were checked by the server's account guard.
  return ok(accountView(ctx.state.getAccount(ctx.params.accountId)!));
}

export const accountRoutes: RouteDefinition[] = [
  { method: "GET", pattern: "/accounts", handler: listAccounts },
  { method: "GET", pattern: "/accounts/:accountId", handler: getAccount },
];
