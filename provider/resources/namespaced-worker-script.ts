/**
 * NamespacedWorkerScript: a tenant ("user") Worker uploaded into a dispatch namespace. The lifecycle
 * is the one every script shares (../workers/script-lifecycle.ts); a tenant adds only where it
 * lives. Renaming its namespace (same `namespaceId`) costs no request: the scripts went with it;
 * another namespace moves the script. Its id is "<namespace>/<script>" at creation. Its customers'
 * domains (`hostnames`, custom hostnames of the zone `zoneId`) are made after the upload, edited or
 * deleted when they change, and deleted before the script (../hostnames/tenant-hostnames.ts).
 */
import { namespaceNameProblem } from "../cloudflare/names";
import type { ProviderContext } from "../context";
import type { ResourceMethods } from "../framework/resource-methods";
import { type ScriptInputs, type ScriptKind, type StateOf, scriptResource } from "../workers/script-lifecycle";
import {
  type TenantHostnameInputs,
  type TenantHostnameOutputs,
  applyTenantHostnames,
  declaresHostnames,
  hostnamesProblems,
  readTenantHostnames,
  removeTenantHostnames,
  zoneProblems,
} from "../hostnames/tenant-hostnames";

export interface NamespacedWorkerScriptInputs extends ScriptInputs, TenantHostnameInputs {
  /** The dispatch namespace's name. */
  namespace: string;
  /** The namespace's immutable id, when the sdk was given the DispatchNamespace resource. */
  namespaceId?: string;
}

export type NamespacedWorkerScriptOutputs = StateOf<NamespacedWorkerScriptInputs> & TenantHostnameOutputs;

const kind: ScriptKind<NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs> = {
  addressOf: (props) => ({ namespace: props.namespace, scriptName: props.scriptName }),
  locate: (id) => {
    const slash = id.indexOf("/");
    return { namespace: id.slice(0, slash), scriptName: id.slice(slash + 1) };
  },
  // A new namespace id under the same name is a namespace re-created (empty): the script moves into it.
  locationKeys: ["namespace", "namespaceId"],
  sameLocation: (olds, news) => !!olds.namespaceId && olds.namespaceId === news.namespaceId,
  extraKeys: ["zoneId", "hostnames"],
  checkLocation(news, failures) {
    const namespace = failures.requireString(news, "namespace");
    const problem = namespace === undefined ? undefined : namespaceNameProblem(namespace);
    if (problem) failures.add("namespace", `namespace ${problem}`);
    for (const p of [...zoneProblems(news.zoneId, declaresHostnames(news.hostnames)), ...hostnamesProblems(news.hostnames, "hostnames")])
      failures.add(p.property, p.reason);
  },
  applyExtras: (session, news, olds) => applyTenantHostnames(session, news.scriptName, news, olds),
  removeExtras: (session, props) => removeTenantHostnames(session, props.scriptName, props),
  readExtras: (session, props) => readTenantHostnames(session, props),
};

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function namespacedWorkerScriptResource(context: ProviderContext): ResourceMethods {
  return scriptResource(context, kind);
}
