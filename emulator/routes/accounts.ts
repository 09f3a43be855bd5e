/**
 * `GET /accounts` (page-number pagination) and `GET /accounts/:accountId`.
 * Only accounts the credential can see are listed; access to a single account is checked by the
 * server before the handler runs (every `:accountId` route gets that check).
 */
import { canSeeAccount } from "../auth";
import type { RequestContext } from "../context";
import { ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import type { AccountRecord } from "../state";

/** [INF] Cloudflare's account list: 20 per page by default, at most 50; out-of-range values are clamped. */
const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 50;

/** The account object as the API returns it. */
export function accountView(a: AccountRecord) {
  return { id: a.id, name: a.name, type: a.type, settings: { ...a.settings }, created_on: a.created_on };
}

function listAccounts(ctx: RequestContext): ApiResult {
  const principal = ctx.principal!;
  let accounts = ctx.state.allAccounts().filter((a) => canSeeAccount(principal, a.id));
  const name = ctx.query.get("name");
  if (name) accounts = accounts.filter((a) => a.name.toLowerCase().includes(name.toLowerCase()));
  const direction = ctx.query.get("direction");
  if (direction === "asc" || direction === "desc") {
    const sign = direction === "asc" ? 1 : -1;
    accounts = [...accounts].sort((a, b) => sign * a.name.localeCompare(b.name));
  }
  const page = positiveInt(ctx.query.get("page"), 1);
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(ctx.query.get("per_page"), DEFAULT_PER_PAGE));
  // A page past the end is an empty array: the SDK's auto-paginator stops only on an empty page.
  const slice = accounts.slice((page - 1) * perPage, page * perPage);
  return ok(slice.map(accountView), {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: accounts.length,
    total_pages: Math.ceil(accounts.length / perPage),
  });
}

function getAccount(ctx: RequestContext): ApiResult {
  // Existence and visibility were checked by the server's account guard.
  return ok(accountView(ctx.state.getAccount(ctx.params.accountId)!));
}

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 ? n : fallback;
}

export const accountRoutes: RouteDefinition[] = [
  { method: "GET", pattern: "/accounts", handler: listAccounts },
  { method: "GET", pattern: "/accounts/:accountId", handler: getAccount },
];
