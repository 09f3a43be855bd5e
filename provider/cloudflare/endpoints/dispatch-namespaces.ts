/** Workers for Platforms dispatch namespaces (API docs, "Workers for Platforms > Dispatch > Namespaces"). */
import type {
  NamespaceGetResponse,
  NamespaceListResponse,
} from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/namespaces";
import { accountPath } from "../api";
import type { AccountScope } from "./scope";

export type Namespace = NamespaceGetResponse;

function namespacesPath(accountId: string, name?: string): string {
  return name === undefined
    ? accountPath(accountId, "workers", "dispatch", "namespaces")
    : accountPath(accountId, "workers", "dispatch", "namespaces", name);
}

/** GET …/dispatch/namespaces/{name}. */
export function get(at: AccountScope, name: string): Promise<Namespace> {
  return at.api.call<Namespace>({ method: "GET", path: namespacesPath(at.accountId, name) });
}

/** GET …/dispatch/namespaces: one page holds them all (SDK SinglePage). */
export function list(at: AccountScope): AsyncGenerator<NamespaceListResponse> {
  return at.api.pages<NamespaceListResponse>({ method: "GET", path: namespacesPath(at.accountId) }, "single");
}

/** POST …/dispatch/namespaces `{ name }` (what the SDK's namespaces.create sends). */
export function create(at: AccountScope, name: string): Promise<Namespace> {
  return at.api.call<Namespace>({ method: "POST", path: namespacesPath(at.accountId), body: { name } });
}

/** PUT …/dispatch/namespaces/{name}: replaces name and mode together (the SDK has no method for it). */
export function put(at: AccountScope, currentName: string, body: { name: string; trusted_workers?: boolean }): Promise<Namespace> {
  return at.api.call<Namespace>({ method: "PUT", path: namespacesPath(at.accountId, currentName), body });
}

/** DELETE …/dispatch/namespaces/{name}. */
export async function remove(at: AccountScope, name: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: namespacesPath(at.accountId, name) });
}
