/**
 * Everything a program configures, as the emulator stores it, without the timestamps that every
 * write moves: two snapshots are equal exactly when Cloudflare would behave the same.
 */
import type { PersistedState } from "../../../emulator/state";

type Account = PersistedState["accounts"][number];
type Script = Account["scripts"][string];

function scriptConfiguration(s: Script) {
  return {
    etag: s.etag,
    bindings: [...s.bindings].sort((a, b) => a.name.localeCompare(b.name)),
    compatibility_date: s.compatibility_date,
    compatibility_flags: s.compatibility_flags,
    tags: s.tags,
    limits: s.limits,
    usage_model: s.usage_model,
    placement: s.placement,
    observability: s.observability,
    logpush: s.logpush,
    migration_tag: s.migration_tag,
    durable_object_classes: s.durable_object_classes,
  };
}

const byName = <T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, map(v)]),
  );

export function configuration(account: Account) {
  return {
    namespaces: account.dispatchNamespaces.map((ns) => ({
      id: ns.namespace_id,
      name: ns.namespace_name,
      trusted_workers: ns.trusted_workers,
      scripts: byName(ns.scripts, scriptConfiguration),
    })),
    scripts: byName(account.scripts, scriptConfiguration),
    workersDev: account.workersDev.scripts,
    kv: account.kvNamespaces.map((kv) => ({ id: kv.id, title: kv.title })),
    routes: account.zones.flatMap((z) => z.routes.map((r) => ({ zone: z.name, pattern: r.pattern, script: r.script }))),
    customDomains: (account.workerDomains ?? []).map((d) => ({ hostname: d.hostname, zone: d.zone_name, service: d.service })),
  };
}
