/**
 * Cloudflare → ImportedPlatform: the dispatch namespace, each of its scripts (settings and every
 * module, from the documented content endpoint), the account-level scripts bound to it with their
 * zone routes and cron triggers, the KV namespaces the scripts bind by id, and the fallback origin and custom
 * hostnames of the zones the dispatchers route on. Read only: nothing here writes.
 * Every call goes through the provider's session, so it is paced and retried as `pulumi up` is.
 */
import * as namespaces from "../provider/cloudflare/endpoints/dispatch-namespaces";
import * as kv from "../provider/cloudflare/endpoints/kv-namespaces";
import * as routesApi from "../provider/cloudflare/endpoints/routes";
import { listAccountScripts } from "../provider/cloudflare/endpoints/scripts";
import * as zones from "../provider/cloudflare/endpoints/zones";
import { getFallbackOrigin, listCustomHostnames } from "../provider/cloudflare/endpoints/custom-hostnames";
import { declaredCustomHostname } from "../provider/resources/custom-hostname";
import { describeFailure, isNotFound } from "../provider/cloudflare/errors";
import { type Session } from "../provider/cloudflare/session";
import { readCrons } from "../provider/workers/crons";
import { chosenConfig } from "../provider/workers/reported";
import { type ScriptAddress, type ScriptSettings, getScriptCode, getScriptSettings, listScripts } from "../provider/workers/script-api";
import type { ImportedDispatcher, ImportedKVNamespace, ImportedPlatform, ImportedScript, ImportedZone } from "./model";

export class NamespaceNotFoundError extends Error {
  constructor(namespace: string, accountId: string, existing: string[]) {
    const known = existing.length === 0 ? "it has none" : `it has: ${existing.join(", ")}`;
    super(`dispatch namespace '${namespace}' does not exist in account ${accountId} (${known})`);
    this.name = "NamespaceNotFoundError";
  }
}

/** Progress, one line a person can follow per step. */
export type Progress = (line: string) => void;

/** What the list says of a script that its settings and content do not: assets, Durable Object migrations. */
type ListedScript = Pick<ImportedScript, "scriptName" | "hasAssets" | "migrationTag">;

/** Scripts in a dispatch namespace, by name (the provider's paged list). */
async function namespaceScripts(session: Session, namespace: string): Promise<ListedScript[]> {
  const listed: ListedScript[] = [];
  for (const { script } of (await listScripts(session, namespace)) ?? []) {
    if (!script?.id) continue;
    const entry: ListedScript = { scriptName: script.id };
    if (script.has_assets) entry.hasAssets = true;
    if (script.migration_tag) entry.migrationTag = script.migration_tag;
    listed.push(entry);
  }
  return listed.sort((a, b) => (a.scriptName < b.scriptName ? -1 : a.scriptName > b.scriptName ? 1 : 0));
}

async function readScript(session: Session, address: ScriptAddress, settings?: ScriptSettings): Promise<ImportedScript> {
  const [found, code] = await Promise.all([settings ?? getScriptSettings(session, address), getScriptCode(session, address)]);
  if (!found || !code) throw new Error(`script '${address.scriptName}' disappeared while it was being read; run the command again`);
  return { scriptName: address.scriptName, mainModule: code.mainModule, modules: code.modules, config: chosenConfig(found) };
}

function bindsNamespace(settings: ScriptSettings, namespace: string): boolean {
  return (settings.bindings ?? []).some((b) => b.type === "dispatch_namespace" && (b as { namespace?: string }).namespace === namespace);
}

/** Routes of the account's zones that point at one of `scripts`, by script, sorted by pattern. */
async function routesByScript(session: Session, scripts: string[]): Promise<Map<string, Array<{ pattern: string; zoneId: string }>>> {
  const routes = new Map(scripts.map((s) => [s, [] as Array<{ pattern: string; zoneId: string }>]));
  if (scripts.length === 0) return routes;
  try {
    for await (const zone of zones.list(session)) {
      for await (const route of routesApi.list(session, zone.id)) {
        if (route.script && routes.has(route.script)) routes.get(route.script)!.push({ pattern: route.pattern, zoneId: zone.id });
      }
    }
  } catch (error) {
    throw describeFailure("reading the zone routes of the account", error);
  }
  for (const list of routes.values()) list.sort((a, b) => a.pattern.localeCompare(b.pattern));
  return routes;
}

async function kvNamespacesBound(session: Session, scripts: ImportedScript[], progress: Progress): Promise<ImportedKVNamespace[]> {
  const ids = new Set<string>();
  for (const script of scripts) {
    for (const binding of Object.values(script.config.bindings ?? {})) {
      if (binding.type === "kv_namespace") ids.add(binding.namespace_id);
    }
  }
  const found: ImportedKVNamespace[] = [];
  for (const id of [...ids].sort()) {
    try {
      const namespace = await kv.get(session, id);
      found.push({ id, title: namespace.title });
    } catch (error) {
      if (!isNotFound(error)) throw describeFailure(`reading KV namespace ${id}`, error);
      progress(`KV namespace ${id} is bound but not in account ${session.accountId}: kept as a plain id`);
    }
  }
  return found.sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

async function zoneName(session: Session, zoneId: string): Promise<string> {
  try {
    return (await zones.get(session, zoneId)).name;
  } catch (error) {
    throw describeFailure(`reading zone ${zoneId}`, error);
  }
}

/** The zone's fallback origin, if it has one (a zone without one answers 404: emulator/SOURCES.md §5.10). */
async function fallbackOriginOf(session: Session, zoneId: string): Promise<string | undefined> {
  try {
    return (await getFallbackOrigin(session, zoneId)).origin;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading the fallback origin of zone ${zoneId}`, error);
  }
}

/** Each zone the dispatchers route on, with its fallback origin and custom hostnames (Cloudflare for SaaS), by name. */
async function routedZones(session: Session, dispatchers: ImportedDispatcher[], progress: Progress): Promise<ImportedZone[]> {
  const ids = [...new Set(dispatchers.flatMap((d) => d.routes.map((r) => r.zoneId)))];
  const found = await Promise.all(
    ids.map(async (zoneId): Promise<ImportedZone> => {
      const [name, fallbackOrigin] = await Promise.all([zoneName(session, zoneId), fallbackOriginOf(session, zoneId)]);
      const customHostnames: ImportedZone["customHostnames"] = [];
      try {
        for await (const h of listCustomHostnames(session, zoneId))
          customHostnames.push({ id: h.id, inputs: declaredCustomHostname(zoneId, h) });
      } catch (error) {
        throw describeFailure(`reading the custom hostnames of zone ${name}`, error);
      }
      customHostnames.sort((a, b) => a.inputs.hostname.localeCompare(b.inputs.hostname));
      progress(
        `zone ${name}: ${customHostnames.length} custom hostname${customHostnames.length === 1 ? "" : "s"}${fallbackOrigin ? `, fallback origin ${fallbackOrigin}` : ""}`,
      );
      return { zoneId, name, ...(fallbackOrigin ? { fallbackOrigin } : {}), customHostnames };
    }),
  );
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads everything the generated program declares. Fails with NamespaceNotFoundError for a missing namespace. */
export async function readPlatform(session: Session, namespace: string, progress: Progress): Promise<ImportedPlatform> {
  const { accountId } = session;
  let trustedWorkers: boolean;
  try {
    trustedWorkers = (await namespaces.get(session, namespace)).trusted_workers ?? false;
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`reading dispatch namespace '${namespace}'`, error);
    const existing: string[] = [];
    for await (const ns of namespaces.list(session)) if (ns.namespace_name) existing.push(ns.namespace_name);
    throw new NamespaceNotFoundError(namespace, accountId, existing.sort());
  }
  progress(`dispatch namespace '${namespace}' in account ${accountId}`);

  const listed = await namespaceScripts(session, namespace);
  progress(`${listed.length} script${listed.length === 1 ? "" : "s"} in '${namespace}'`);
  const tenants = await Promise.all(
    listed.map(async ({ scriptName, ...flags }) => {
      const script = { ...(await readScript(session, { namespace, scriptName })), ...flags };
      progress(
        `  read ${scriptName}: ${script.modules.length} module${script.modules.length === 1 ? "" : "s"}, ${Object.keys({ ...script.config.bindings, ...script.config.secretBindings }).length} bindings`,
      );
      return script;
    }),
  );

  const accountScripts: string[] = [];
  for await (const script of listAccountScripts(session)) if (script.id) accountScripts.push(script.id);
  const bound: Array<{ scriptName: string; settings: ScriptSettings }> = [];
  for (const scriptName of accountScripts.sort()) {
    const settings = await getScriptSettings(session, { scriptName });
    if (settings && bindsNamespace(settings, namespace)) bound.push({ scriptName, settings });
  }
  progress(
    `${bound.length} account-level script${bound.length === 1 ? "" : "s"} bound to '${namespace}'${bound.length ? `: ${bound.map((b) => b.scriptName).join(", ")}` : ""}`,
  );
  const routes = await routesByScript(
    session,
    bound.map((b) => b.scriptName),
  );
  const dispatchers: ImportedDispatcher[] = await Promise.all(
    bound.map(async ({ scriptName, settings }) => {
      const { crons = [] } = await readCrons(session, scriptName, { crons: [] });
      return {
        ...(await readScript(session, { scriptName }, settings)),
        routes: routes.get(scriptName) ?? [],
        ...(crons.length > 0 ? { crons } : {}),
      };
    }),
  );

  const kvNamespaces = await kvNamespacesBound(session, [...tenants, ...dispatchers], progress);
  const routed = await routedZones(session, dispatchers, progress);
  return { accountId, namespace: { name: namespace, trustedWorkers }, tenants, dispatchers, kvNamespaces, zones: routed };
}
