/**
 * The Cloudflare calls a Worker script needs, for a script inside a dispatch namespace: upload
 * (one multipart PUT carrying code and configuration), get, settings and delete. The upload is built
 * as a native FormData and sent with `client.put`, because the SDK v7 typed upload encodes the body
 * in a form Cloudflare refuses (cloudflare-typescript#2799).
 */
import type { ScriptUpdateResponse } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import type { Script } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import type { SettingGetResponse } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/settings";
import { accountPath } from "../cloudflare/client";
import { CloudflareErrorDetail, describeFailure, errorDetails, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import type { WorkerBundle } from "./bundle";
import type { WorkerMetadata } from "./config";

export type { Script as NamespacedScript, ScriptUpdateResponse, SettingGetResponse as ScriptSettings };

/** Where a script lives: a dispatch namespace (tenant workers). */
export interface ScriptAddress {
  namespace: string;
  scriptName: string;
}

export function describeAddress(address: ScriptAddress): string {
  return `worker script '${address.scriptName}' in dispatch namespace '${address.namespace}'`;
}

function scriptPath(accountId: string, address: ScriptAddress): string {
  return accountPath(accountId, "workers", "dispatch", "namespaces", address.namespace, "scripts", address.scriptName);
}

/** The multipart body: the metadata JSON part, then one file part per module (main module first). */
export function uploadForm(metadata: WorkerMetadata, bundle: WorkerBundle): FormData {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }), "metadata.json");
  for (const module of bundle.modules) {
    form.append(module.name, new Blob([module.content as Uint8Array<ArrayBuffer>], { type: module.contentType }), module.name);
  }
  return form;
}

/** Uploads code and configuration in one request; Cloudflare creates or replaces the script. */
export async function uploadScript(
  session: Session,
  address: ScriptAddress,
  metadata: WorkerMetadata,
  bundle: WorkerBundle,
): Promise<ScriptUpdateResponse> {
  try {
    const envelope = (await session.client.put(scriptPath(session.accountId, address), {
      body: uploadForm(metadata, bundle),
    })) as { result: ScriptUpdateResponse };
    return envelope.result;
  } catch (error) {
    throw describeFailure(`uploading ${describeAddress(address)}`, error, uploadHint(errorDetails(error), address));
  }
}

/** GET script: what refresh compares (etag, modified_on, tags, compatibility). Undefined when absent. */
export async function getScript(session: Session, address: ScriptAddress): Promise<Script | undefined> {
  try {
    return await session.client.workersForPlatforms.dispatch.namespaces.scripts.get(address.scriptName, {
      account_id: session.accountId,
      dispatch_namespace: address.namespace,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading ${describeAddress(address)}`, error);
  }
}

/** GET settings: bindings (secret values omitted), limits and the rest of the configuration. */
export async function getScriptSettings(session: Session, address: ScriptAddress): Promise<SettingGetResponse | undefined> {
  try {
    return await session.client.workersForPlatforms.dispatch.namespaces.scripts.settings.get(address.scriptName, {
      account_id: session.accountId,
      dispatch_namespace: address.namespace,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading the settings of ${describeAddress(address)}`, error);
  }
}

/** Deletes the script (force: even if other Workers reference it). False when it was already gone. */
export async function deleteScript(session: Session, address: ScriptAddress): Promise<boolean> {
  try {
    await session.client.workersForPlatforms.dispatch.namespaces.scripts.delete(address.scriptName, {
      account_id: session.accountId,
      dispatch_namespace: address.namespace,
      force: true,
    });
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
  if (codes.includes(100119)) return `the dispatch namespace '${address.namespace}' does not exist: create it first (check the namespace input)`;
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
