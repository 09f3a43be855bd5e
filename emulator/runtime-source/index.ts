/**
 * The emulator's state as a `RuntimeSource` for the local Workers runtime (`../runtime`): the Workers,
 * routes, custom domains, workers.dev toggles and KV values stored through the API. Every method reads the live records,
 * so an upload (or `reset()`) is seen by the next edge request without restarting anything.
 *
 * Scope: one account (default: the emulator's default account). The runtime has no notion of accounts —
 * a dispatcher's `dispatch_namespace` binding names a namespace, a route names a script — so everything is
 * resolved within that account: its Workers, its namespaces (by name), the routes of its zones, its KV.
 */
import type { RuntimeRoute, RuntimeScript, RuntimeSource, RuntimeWarning } from "../runtime/types";
import type { EmulatorState } from "../state";
import { findScript, scriptsByName } from "../workers/store";
import { scriptSubdomain } from "../workers/workers-dev";
import { stateKv } from "./kv";
import { toRuntimeScript } from "./scripts";

export { stateKv } from "./kv";
export { toRuntimeScript } from "./scripts";

/**
 * `startEmulator({ edge })`. Declared here, not next to the edge starter, so the emulator's public types
 * never reference miniflare's (the edge code imports them; this module does not).
 */
export interface EdgeConfig {
  /** Default 0 (any free port). */
  port?: number;
  /** Default: the API's host (127.0.0.1). */
  host?: string;
  /** Tenants get no network access unless their namespace has an outbound Worker. Default false (as on Cloudflare). */
  isolateTenants?: boolean;
  /** Runtime warnings (unsupported binding, clamped date, …), each once. Default `console.warn`. */
  onWarning?: (warning: RuntimeWarning) => void;
  /** workerd output line by line (Workers' `console.log`, uncaught errors). Default: stderr with a `[workerd]` prefix. */
  onLog?: (line: string) => void;
}

export function createRuntimeSource(state: EmulatorState, accountId: string = state.defaultAccountId): RuntimeSource {
  const account = () => state.getAccount(accountId);
  return {
    accountScript(name: string): RuntimeScript | undefined {
      const scripts = account()?.scripts;
      const record = scripts && findScript(scripts, name);
      return record && toRuntimeScript(record);
    },
    accountScripts(): RuntimeScript[] {
      return scriptsByName(account()?.scripts ?? {}).map(toRuntimeScript);
    },
    namespaceScript(namespace: string, name: string): RuntimeScript | undefined {
      const ns = state.findNamespace(accountId, namespace);
      const record = ns && findScript(ns.scripts, name);
      return record && toRuntimeScript(record);
    },
    asset(hash: string) {
      const blob = account()?.assets.blobs[hash];
      return blob && { bytes: new Uint8Array(Buffer.from(blob.content_base64, "base64")), contentType: blob.content_type };
    },
    routes(): RuntimeRoute[] {
      // A route without a script still matches (and then runs no Worker): the runtime takes "" for that.
      return (account()?.zones ?? []).flatMap((z) => z.routes.map((r) => ({ pattern: r.pattern, script: r.script ?? "", zone: z.name })));
    },
    schedules(script: string) {
      return (account()?.schedules?.[script] ?? []).map((s) => s.cron);
    },
    customHostnames() {
      return (account()?.zones ?? []).flatMap((z) =>
        (z.customHostnames ?? []).map((h) => ({
          hostname: h.hostname,
          zone: z.name,
          active: h.status === "active",
          ...(h.custom_metadata ? { metadata: { ...h.custom_metadata } } : {}),
        })),
      );
    },
    customDomains() {
      return (account()?.workerDomains ?? []).map((d) => ({ hostname: d.hostname, script: d.service }));
    },
    workersDev() {
      const a = account();
      if (!a) return { enabledScripts: [] };
      const enabledScripts = Object.keys(a.scripts).filter((name) => scriptSubdomain(a.workersDev, name).enabled);
      return { ...(a.workersDev.subdomain ? { subdomain: a.workersDev.subdomain } : {}), enabledScripts };
    },
    kv: stateKv(state, accountId),
  };
}
