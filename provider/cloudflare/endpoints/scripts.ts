/**
 * Worker scripts, in a dispatch namespace (tenants; API docs, "Workers for Platforms > Dispatch >
 * Namespaces > Scripts") or at account level (dispatchers; "Workers > Scripts"). One path rule for both.
 */
import type {
  Script as NamespacedScript,
  ScriptUpdateResponse,
} from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import type { SettingGetResponse } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/settings";
import type { SecretUpdateParams } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/secrets";
import type { ScriptListResponse } from "cloudflare/resources/workers/scripts/scripts";
import { accountPath } from "../api";
import type { MultipartBody } from "../multipart";
import type { AccountScope } from "./scope";

export type { NamespacedScript, ScriptUpdateResponse, SettingGetResponse };

/** Where a script lives: in a dispatch namespace (tenant workers), or at account level without one. */
export interface ScriptAddress {
  namespace?: string;
  scriptName: string;
}

export function scriptPath(accountId: string, address: ScriptAddress, ...rest: string[]): string {
  return address.namespace === undefined
    ? accountPath(accountId, "workers", "scripts", address.scriptName, ...rest)
    : accountPath(accountId, "workers", "dispatch", "namespaces", address.namespace, "scripts", address.scriptName, ...rest);
}

/** PUT the script: one multipart body of metadata and modules; Cloudflare creates or replaces it. */
export function upload(at: AccountScope, address: ScriptAddress, form: MultipartBody): Promise<ScriptUpdateResponse> {
  return at.api.call<ScriptUpdateResponse>({ method: "PUT", path: scriptPath(at.accountId, address), body: form });
}

/** GET a namespaced script (an account-level script has no such GET: its GET is the code). */
export function get(at: AccountScope, address: Required<ScriptAddress>): Promise<NamespacedScript> {
  return at.api.call<NamespacedScript>({ method: "GET", path: scriptPath(at.accountId, address) });
}

/** GET …/settings: bindings (secret values omitted), limits and the rest of the configuration; the same object at both levels. */
export function settings(at: AccountScope, address: ScriptAddress): Promise<SettingGetResponse> {
  return at.api.call<SettingGetResponse>({ method: "GET", path: scriptPath(at.accountId, address, "settings") });
}

/**
 * GET the code (account level: `content/v2`) as Cloudflare answers it: multipart for a module
 * Worker, raw text for a service worker, the entry module in `cf-entrypoint` (SDK `scripts.content.get`).
 */
export function content(at: AccountScope, address: ScriptAddress): Promise<Response> {
  const path =
    address.namespace === undefined ? scriptPath(at.accountId, address, "content", "v2") : scriptPath(at.accountId, address, "content");
  return at.api.response({ method: "GET", path }, "*/*");
}

/** GET …/workers/scripts: every account-level script, one page (SDK SinglePage). */
export function listAccountScripts(at: AccountScope): AsyncGenerator<ScriptListResponse> {
  return at.api.pages<ScriptListResponse>({ method: "GET", path: accountPath(at.accountId, "workers", "scripts") }, "single");
}

/**
 * GET …/namespaces/{ns}/scripts?limit=&cursor=, each item `{ created_on, modified_on,
 * dispatch_namespace, script }` (OpenAPI; the SDK has no list method, so it is typed with its `Script`).
 */
export function listNamespaceScripts(at: AccountScope, namespace: string, pageSize: number): AsyncGenerator<NamespacedScript> {
  const path = accountPath(at.accountId, "workers", "dispatch", "namespaces", namespace, "scripts");
  return at.api.pages<NamespacedScript>({ method: "GET", path, query: { limit: pageSize } }, "cursor");
}

/** DELETE with `force=true` (even if other Workers reference it), as the SDK's scripts.delete sends it. */
export async function remove(at: AccountScope, address: ScriptAddress): Promise<void> {
  await at.api.call({ method: "DELETE", path: scriptPath(at.accountId, address), query: { force: true } });
}

/** PUT …/tags: a namespaced script's whole tag list (SDK `dispatch.namespaces.scripts.tags.update`). */
export async function putTags(at: AccountScope, address: ScriptAddress, tags: string[]): Promise<void> {
  await at.api.call({ method: "PUT", path: scriptPath(at.accountId, address, "tags"), body: tags });
}

/** A secret as the secrets endpoint takes it: the SDK's body params, without the path params. */
export type SecretBody = SecretUpdateParams extends infer P
  ? P extends unknown
    ? Omit<P, "account_id" | "dispatch_namespace">
    : never
  : never;

/** PUT …/secrets: adds or replaces one secret (SDK `secrets.update`, at both levels). */
export async function putSecret(at: AccountScope, address: ScriptAddress, secret: SecretBody): Promise<void> {
  await at.api.call({ method: "PUT", path: scriptPath(at.accountId, address, "secrets"), body: secret });
}

/** DELETE …/secrets/:name (SDK `secrets.delete`, at both levels). */
export async function deleteSecret(at: AccountScope, address: ScriptAddress, name: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: scriptPath(at.accountId, address, "secrets", name) });
}

/**
 * The answer of "Delete Scripts in Namespace" by tag (OpenAPI operation `namespace-worker-delete-scripts`,
 * `workers_namespace-script-delete-bulk-response`; the SDK 7.3 has no method for it).
 */
export interface DeletedByTag {
  deleted?: Array<{ id?: string }> | null;
  deleted_count?: number;
  has_more?: boolean;
}

/** DELETE …/namespaces/{ns}/scripts?tags=<tag>:yes: every script of the namespace carrying the tag. */
export function deleteByTag(at: AccountScope, namespace: string, tag: string): Promise<DeletedByTag | null> {
  const path = accountPath(at.accountId, "workers", "dispatch", "namespaces", namespace, "scripts");
  return at.api.call<DeletedByTag | null>({ method: "DELETE", path, query: { tags: `${tag}:yes` } });
}
