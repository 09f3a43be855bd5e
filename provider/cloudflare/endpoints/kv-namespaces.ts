/** Workers KV namespaces (API docs, "KV > Namespaces"; SDK `kv.namespaces`). */
import type { Namespace } from "cloudflare/resources/kv/namespaces/namespaces";
import { accountPath } from "../api";
import type { AccountScope } from "./scope";

export type { Namespace };

function kvPath(accountId: string, id?: string): string {
  return id === undefined
    ? accountPath(accountId, "storage", "kv", "namespaces")
    : accountPath(accountId, "storage", "kv", "namespaces", id);
}

/** GET …/storage/kv/namespaces/{id}. */
export function get(at: AccountScope, id: string): Promise<Namespace> {
  return at.api.call<Namespace>({ method: "GET", path: kvPath(at.accountId, id) });
}

/** GET …/storage/kv/namespaces, by pages of `perPage` (SDK V4PagePaginationArray). */
export function list(at: AccountScope, perPage: number): AsyncGenerator<Namespace> {
  return at.api.pages<Namespace>({ method: "GET", path: kvPath(at.accountId), query: { per_page: perPage } }, "page");
}

/** POST …/storage/kv/namespaces `{ title }`. */
export function create(at: AccountScope, title: string): Promise<Namespace> {
  return at.api.call<Namespace>({ method: "POST", path: kvPath(at.accountId), body: { title } });
}

/** PUT …/storage/kv/namespaces/{id} `{ title }`: a rename. */
export async function rename(at: AccountScope, id: string, title: string): Promise<void> {
  await at.api.call({ method: "PUT", path: kvPath(at.accountId, id), body: { title } });
}

/** DELETE …/storage/kv/namespaces/{id}. */
export async function remove(at: AccountScope, id: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: kvPath(at.accountId, id) });
}
