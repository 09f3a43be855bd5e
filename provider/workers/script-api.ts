/**
 * The Cloudflare calls a Worker script needs, wherever it lives (a dispatch namespace for tenant
 * workers, the account for a dispatcher): upload (one multipart PUT carrying code and
 * configuration), get, settings and delete, with what each failure means for the resource. The
 * upload's body is built here (../cloudflare/multipart.ts; the SDK's v7 typed upload encodes it in a
 * form Cloudflare refuses, cloudflare-typescript#2799). The requests are endpoints/scripts.ts.
 */
import { all } from "../cloudflare/api";
import { MultipartBody } from "../cloudflare/multipart";
import { objectKey } from "../cloudflare/consistency";
import * as scripts from "../cloudflare/endpoints/scripts";
import {
  type NamespacedScript,
  type ScriptAddress,
  type ScriptUpdateResponse,
  type SettingGetResponse,
} from "../cloudflare/endpoints/scripts";
import { type CloudflareErrorDetail, NOT_FOUND_CODES, describeFailure, errorDetails, hasErrorCode, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { type WorkerBundle, type WorkerModule, hashModules } from "./bundle";
import type { WorkerMetadata } from "./config";

export type { NamespacedScript, ScriptAddress, ScriptUpdateResponse, SettingGetResponse as ScriptSettings };

/** What GET tells about a script, the same for both places. */
export interface ScriptInfo {
  etag?: string;
  created_on?: string;
  modified_on?: string;
  handlers?: string[];
  tags?: string[] | null;
  /** The last Durable Object migration applied (SDK `Script.migration_tag`). */
  migration_tag?: string;
}

export function describeAddress(address: ScriptAddress): string {
  return address.namespace === undefined
    ? `worker script '${address.scriptName}'`
    : `worker script '${address.scriptName}' in dispatch namespace '${address.namespace}'`;
}

/** The multipart body: the metadata JSON part, then one file part per module (main module first). */
export function uploadForm(metadata: WorkerMetadata, bundle: WorkerBundle): MultipartBody {
  return new MultipartBody([
    { name: "metadata", filename: "metadata.json", contentType: "application/json", content: JSON.stringify(metadata) },
    ...bundle.modules.map((module) => ({
      name: module.name,
      filename: module.name,
      contentType: module.contentType,
      content: module.content,
    })),
  ]);
}

/**
 * Uploads code and configuration in one request; Cloudflare creates or replaces the script, so
 * sending it again (a retry after a lost answer) is harmless. A namespace this process created a
 * moment ago may still answer "not found" (eventual consistency): that is waited out for a bounded time.
 */
export async function uploadScript(
  session: Session,
  address: ScriptAddress,
  metadata: WorkerMetadata,
  bundle: WorkerBundle,
): Promise<ScriptUpdateResponse> {
  const put = () => scripts.upload(session, address, uploadForm(metadata, bundle));
  const justCreated =
    address.namespace !== undefined &&
    session.context.visibility.createdRecently(objectKey("namespace", session.accountId, address.namespace));
  const namespaceNotVisible = (error: unknown) => justCreated && hasErrorCode(error, NOT_FOUND_CODES.dispatchNamespace);
  try {
    return await session.context.visibility.retryWhileInvisible(put, namespaceNotVisible);
  } catch (error) {
    let hint = uploadHint(errorDetails(error), address);
    if (namespaceNotVisible(error)) hint = `${hint} (still not found ${session.context.visibility.boundMs / 1000} s after it was created)`;
    throw describeFailure(`uploading ${describeAddress(address)}`, error, hint);
  }
}

/**
 * What refresh compares (etag, modified_on, tags). Undefined when absent. A namespaced script has
 * a GET; an account-level GET returns only the code, so its entry in the account's list is used.
 */
export async function getScript(session: Session, address: ScriptAddress): Promise<ScriptInfo | undefined> {
  try {
    if (address.namespace === undefined) {
      for await (const script of scripts.listAccountScripts(session)) {
        if (script.id === address.scriptName) return script;
      }
      return undefined;
    }
    const found = await scripts.get(session, { namespace: address.namespace, scriptName: address.scriptName });
    const inner = found.script ?? {};
    return { ...inner, created_on: found.created_on ?? inner.created_on, modified_on: found.modified_on ?? inner.modified_on };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading ${describeAddress(address)}`, error);
  }
}

/** GET settings: bindings (secret values omitted), limits and the rest of the configuration. */
export async function getScriptSettings(session: Session, address: ScriptAddress): Promise<SettingGetResponse | undefined> {
  try {
    return await scripts.settings(session, address);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading the settings of ${describeAddress(address)}`, error);
  }
}

/** A script's code as Cloudflare has it: the modules under their names, and which one is the entry. */
export interface ScriptCode {
  mainModule: string;
  modules: WorkerModule[];
}

/**
 * GET content (account level: `content/v2`), the documented download of a script's code: a module
 * Worker as multipart/form-data, one part per module named by its filename, the entry module in the
 * `cf-entrypoint` header; a service-worker script as its raw text (SDK `scripts.content.get`, whose
 * answer is the raw Response; cloudflare-go's DownloadWorker reads the same two shapes). Undefined when absent.
 */
export async function getScriptCode(session: Session, address: ScriptAddress): Promise<ScriptCode | undefined> {
  let response: Response;
  try {
    response = await scripts.content(session, address);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`downloading the code of ${describeAddress(address)}`, error);
  }
  const entry = response.headers.get("cf-entrypoint") ?? undefined;
  const contentType = response.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) {
    const name = entry ?? "worker.js";
    return {
      mainModule: name,
      modules: [{ name, contentType: contentType.split(";")[0].trim(), content: new Uint8Array(await response.arrayBuffer()) }],
    };
  }
  const modules: WorkerModule[] = [];
  const form = await response.formData();
  const parts: Array<[string, string | Blob]> = [];
  form.forEach((value, field) => parts.push([field, value]));
  for (const [field, value] of parts) {
    if (typeof value === "string") continue; // every module arrives as a file part
    const fileName = (value as { name?: string }).name; // a File part carries its filename
    modules.push({
      name: fileName || field,
      contentType: value.type.split(";")[0].trim(),
      content: new Uint8Array(await value.arrayBuffer()),
    });
  }
  return { mainModule: entry ?? modules[0]?.name ?? "", modules };
}

/** Cloudflare's page size for a namespace's script list: default and maximum (tags and dynamic-dispatch docs). */
export const SCRIPT_LIST_PAGE = 1000;

/** Every script of a dispatch namespace, a page of up to 1000 per request. Undefined when the namespace does not exist. */
export async function listScripts(session: Session, namespace: string): Promise<NamespacedScript[] | undefined> {
  try {
    return await all(scripts.listNamespaceScripts(session, namespace, SCRIPT_LIST_PAGE));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`listing the scripts of dispatch namespace '${namespace}'`, error);
  }
}

/** A namespaced script's modules as Cloudflare stores them, hashed like a bundle; undefined when absent. */
export async function getScriptContentHash(session: Session, address: Required<ScriptAddress>): Promise<string | undefined> {
  const code = await getScriptCode(session, address);
  return code && hashModules(code.modules);
}

/** Deletes the script (force: even if other Workers reference it). False when it was already gone. */
export async function deleteScript(session: Session, address: ScriptAddress): Promise<boolean> {
  try {
    await scripts.remove(session, address);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false; // the script, or its whole namespace, is already gone
    throw describeFailure(`deleting ${describeAddress(address)}`, error);
  }
}

/** Points a refused upload at the input to fix: Cloudflare's validator names fields, not properties. */
function uploadHint(details: CloudflareErrorDetail[], address: ScriptAddress): string | undefined {
  const text = details.map((d) => d.message).join(" ");
  const codes = details.map((d) => d.code);
  if (codes.includes(100119))
    return `the dispatch namespace '${address.namespace}' does not exist: create it first (check the namespace input)`;
  if (codes.includes(10016)) return "check the name input";
  if (codes.includes(10027)) return "the bundle is too large: check the content or entrypoint input";
  if (codes.includes(10053)) return "a secret of the same name exists on the script: check the bindings and secretBindings inputs";
  if (/compatibility_date/.test(text)) return "check the compatibilityDate input";
  if (/compatibility_flags/.test(text)) return "check the compatibilityFlags input";
  if (/binding/i.test(text)) return "check the bindings input";
  if (/tags?\b/.test(text)) return "check the tags input";
  if (/limits/.test(text)) return "check the limits input";
  if (/usage_model/.test(text)) return "check the usageModel input";
  if (/SyntaxError|main_module|module/i.test(text)) return "check the content or entrypoint input";
  return undefined;
}

/** Replaces a namespaced script's tags (PUT …/tags, SDK `dispatch.namespaces.scripts.tags.update`: the whole list). */
export async function putScriptTags(session: Session, address: ScriptAddress, tags: string[]): Promise<void> {
  try {
    await scripts.putTags(session, address, tags);
  } catch (error) {
    throw describeFailure(`setting the tags of ${describeAddress(address)}`, error, "check the tags input");
  }
}

/** Removes one secret (DELETE …/secrets/:name, SDK `secrets.delete`); one already gone is no failure. Throws Cloudflare's error as is. */
export async function deleteScriptSecret(session: Session, address: ScriptAddress, name: string): Promise<void> {
  try {
    await scripts.deleteSecret(session, address, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
