/** Accounts (API docs, "Accounts"; SDK `accounts`). */
import type { Account } from "cloudflare/resources/accounts/accounts";
import { type CloudflareApi, accountPath } from "../api";

/** GET /accounts/{account_id}. */
export function get(api: CloudflareApi, accountId: string): Promise<Account> {
  return api.call<Account>({ method: "GET", path: accountPath(accountId) });
}

/** GET /accounts, by pages of `perPage` (SDK `accounts.list`, V4PagePaginationArray). */
export function list(api: CloudflareApi, perPage: number): AsyncGenerator<Account> {
  return api.pages<Account>({ method: "GET", path: "/accounts", query: { per_page: perPage } }, "page");
}
