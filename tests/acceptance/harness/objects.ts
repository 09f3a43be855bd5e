/**
 * What a stack made, named the same way from both sides (its state, and the emulator's store), so a
 * spec can say "state and Cloudflare agree" or "nothing is left" in one comparison.
 */
import type { PersistedState } from "../../../emulator/state";
import { type StoredTenantStates, tenantStatesOf } from "../../../provider/fleet/states";
import type { Deployment } from "./user-project";

type Account = PersistedState["accounts"][number];

/** Every dispatch namespace, tenant script, account script, KV namespace, route, custom domain, cron trigger, custom hostname and fallback origin of the accounts. */
export function cloudflareObjects(...accounts: Account[]): string[] {
  return accounts
    .flatMap((account) => [
      ...account.dispatchNamespaces.flatMap((ns) => [
        `namespace ${ns.namespace_name}`,
        ...Object.keys(ns.scripts).map((s) => `script ${ns.namespace_name}/${s}`),
      ]),
      ...Object.keys(account.scripts).map((s) => `account-script ${s}`),
      ...account.kvNamespaces.map((kv) => `kv ${kv.id}`),
      ...account.zones.flatMap((z) => z.routes.map((r) => `route ${r.pattern} -> ${r.script}`)),
      ...(account.workerDomains ?? []).map((d) => `custom-domain ${d.hostname} -> ${d.service}`),
      ...Object.entries(account.schedules ?? {}).flatMap(([script, list]) => list.map((s) => `cron ${s.cron} -> ${script}`)),
      ...account.zones.flatMap((z) => (z.customHostnames ?? []).map((h) => `custom-hostname ${h.hostname}`)),
      ...account.zones.flatMap((z) => (z.fallbackOrigin ? [`fallback-origin ${z.fallbackOrigin.origin}`] : [])),
    ])
    .sort();
}

/**
 * A secret output's value: `pulumi stack export --show-secrets` keeps a secret's envelope and puts
 * its JSON text in `plaintext` (without the flag there is only ciphertext, and nothing to read).
 */
function revealed(value: unknown): Record<string, unknown> | undefined {
  const envelope = value as { plaintext?: string; ciphertext?: string } | undefined;
  if (envelope?.plaintext !== undefined) return JSON.parse(envelope.plaintext) as Record<string, unknown>;
  if (envelope?.ciphertext !== undefined) throw new Error("a secret output read from a deployment exported without --show-secrets");
  return value as Record<string, unknown> | undefined;
}

const kind = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/** The same names for every resource of this package in the stack's state. */
export function stateObjects(deployment: Deployment): string[] {
  return (deployment.resources ?? [])
    .flatMap((r) => {
      const o = r.outputs ?? {};
      switch (kind(r.type)) {
        case "DispatchNamespace":
          return [`namespace ${o.namespace}`];
        case "NamespacedWorkerScript":
          return [`script ${o.namespace}/${o.scriptName}`];
        case "WorkerScript":
          return [
            `account-script ${o.scriptName}`,
            ...((o.routes as { pattern: string }[] | undefined) ?? []).map((route) => `route ${route.pattern} -> ${o.scriptName}`),
            ...((o.customDomains as { hostname: string }[] | undefined) ?? []).map(
              (domain) => `custom-domain ${domain.hostname} -> ${o.scriptName}`,
            ),
            ...((o.crons as string[] | undefined) ?? []).map((cron) => `cron ${cron} -> ${o.scriptName}`),
          ];
        case "KVNamespace":
          return [`kv ${o.namespaceId}`];
        case "CustomHostname":
          return [`custom-hostname ${o.hostname}`];
        case "FallbackOrigin":
          return [`fallback-origin ${o.origin}`];
        case "TenantFleet": {
          const states = tenantStatesOf(revealed(o.scripts) as StoredTenantStates | undefined);
          return Object.keys(states).map((tenant) => `script ${o.namespace}/${tenant}`);
        }
        default:
          return [];
      }
    })
    .sort();
}
