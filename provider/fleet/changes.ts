/**
 * `changes`: the one line `check` records for `preview` to show what the next `up` does to a
 * fleet's tenants, since the display does not print the tenants' specs (plan.ts, FleetSpecs). It
 * counts the tenants of each kind of change and the unchanged ones, then names each tenant that
 * changes, with the properties that change:
 *
 *     1 to create, 1 to update, 1999 unchanged: create t-02000; update t-00007 (bindings.PLAN)
 *
 * and the tenants' custom hostnames that change, counted, a moved one named with its new tenant:
 *
 *     2 to update, 98 unchanged (hostnames: 1 to move): update t-001 (hostnames), t-002 (hostnames); move shop.a.com → t-002
 *
 * From one of two sources: the previous inputs (the specs of the last `up`), which also say which
 * properties changed; or, after a refresh found tenants changed or deleted outside Pulumi, the
 * tenants' states as refresh recorded them, which say what `up` will write. Names only: a secret
 * tenant's properties are named, never valued.
 */
import type { ProviderCaches } from "../caches";
import { isUnknownValue } from "../framework/unknowns";
import { listed } from "../framework/summary";
import { describeAssetChanges } from "../workers/asset-changes";
import { type FleetSpecs, effectiveSpecs, knownTenants, planFromState, releasedNames, sameByText } from "./plan";
import { type TenantSpec, changedProperties } from "./spec";
import type { TenantState } from "./states";
import { type HostnameChanges, describeHostnameChanges, hostnamesPrint } from "./tenant-hostnames";

/** Names shown per group before "and N more": enough to find what changed, one line at any size. */
const SHOWN = 20;

const UNKNOWN_TENANTS = "tenants unknown until up";

interface Groups {
  create: string[];
  /** Created by adopting the namespace's script of that name when it is identical (the import option). */
  adopt: string[];
  /** "name (what changed)" each. */
  update: string[];
  remove: string[];
  release: string[];
  unchanged: number;
  hostnames?: HostnameChanges;
}

const noGroups = (): Groups => ({ create: [], adopt: [], update: [], remove: [], release: [], unchanged: 0 });

/** "(hostnames: 100 to create, 1 to move)", or "" when no hostname changes. */
function hostnameCounts(h: HostnameChanges | undefined): string {
  if (h === undefined) return "";
  const parts = [
    ...(h.create > 0 ? [`${h.create} to create`] : []),
    ...(h.moves.length > 0 ? [`${h.moves.length} to move`] : []),
    ...(h.remove > 0 ? [`${h.remove} to delete`] : []),
  ];
  return parts.length > 0 ? ` (hostnames: ${parts.join(", ")})` : "";
}

/**
 * Counts first, then names: the CLI cuts a property's text at 150 characters in its display, so
 * what a user must see (how many of each) leads, and the names follow as far as they fit.
 */
function line(g: Groups): string {
  const kinds = [
    { verb: "import", names: g.adopt, note: " (adopted where identical, else uploaded)" },
    { verb: "create", names: g.create, note: "" },
    { verb: "update", names: g.update, note: "" },
    { verb: "delete", names: g.remove, note: "" },
    { verb: "release", names: g.release, note: " (kept in Cloudflare)" },
  ].filter((k) => k.names.length > 0);
  if (kinds.length === 0) return `no changes to ${g.unchanged} tenants`;
  const counts = [...kinds.map((k) => `${k.names.length} to ${k.verb}`), ...(g.unchanged > 0 ? [`${g.unchanged} unchanged`] : [])];
  const names = kinds.map((k) => `${k.verb}${k.note} ${listed(k.names, SHOWN)}`);
  const moves = g.hostnames?.moves ?? [];
  if (moves.length > 0) names.push(`move ${listed(moves, SHOWN)}`);
  return `${counts.join(", ")}${hostnameCounts(g.hostnames)}: ${names.join("; ")}`;
}

/**
 * From the previous inputs to these; without previous inputs every tenant is created, or imported
 * when its name is among `existing` (the scripts of the namespace the import option names).
 */
export function describeChanges(
  olds: FleetSpecs | undefined,
  news: FleetSpecs,
  caches: ProviderCaches,
  existing?: ReadonlySet<string>,
): string {
  const now = knownTenants(news);
  if (now === undefined) return UNKNOWN_TENANTS;
  const before = olds ? effectiveSpecs(olds, caches) : {};
  const after = effectiveSpecs(news, caches);
  const released = releasedNames(news);
  const g = noGroups();
  const unchanged = olds ? sameByText(olds, news) : () => false;
  for (const [name, spec] of Object.entries(after)) {
    const old = before[name];
    if (!old) (existing?.has(name) ? g.adopt : g.create).push(name);
    else if (unchanged(name)) g.unchanged++;
    else {
      const props = changedProperties(old, olds ?? {}, spec, news, caches).map((p) =>
        p === "assets" ? `assets: ${assetChangesOf(old, olds, spec, news)}` : p,
      );
      const hostnames = hostnamesPrint(spec, news.zoneId);
      if (hostnames === undefined || hostnames !== hostnamesPrint(old, olds?.zoneId)) props.push("hostnames");
      if (props.length > 0) g.update.push(`${name} (${props.join(", ")})`);
      else g.unchanged++;
    }
  }
  for (const name of Object.keys(before)) if (!(name in after)) (released.has(name) ? g.release : g.remove).push(name);
  const kept = Object.fromEntries(Object.entries(before).filter(([name]) => !released.has(name))); // a released tenant's hostnames stay
  g.hostnames = describeHostnameChanges(kept, olds?.zoneId, after, news.zoneId);
  return line(g);
}

/** From the tenants' states refresh recorded: exactly the plan `up` carries out against that state. */
export function describeChangesFromStates(states: Record<string, TenantState>, news: FleetSpecs, caches: ProviderCaches): string {
  if (knownTenants(news) === undefined) return UNKNOWN_TENANTS;
  const plan = planFromState(states, news, caches);
  const why = (name: string) => (states[name].drifted ? "changed outside Pulumi" : "changed");
  return line({
    ...noGroups(),
    create: plan.create,
    update: [...new Set([...plan.update, ...plan.hostnames])].map((name) =>
      plan.update.includes(name) ? `${name} (${why(name)})` : `${name} (hostnames)`,
    ),
    remove: plan.remove,
    release: plan.release,
    unchanged: plan.unchanged.length,
  });
}

/** Which of a tenant's files change, from the compact manifests check keeps per directory (as a NamespacedWorkerScript's `assetsChanges`). */
function assetChangesOf(old: TenantSpec, olds: FleetSpecs | undefined, now: TenantSpec, news: FleetSpecs): string {
  const directory = (spec: TenantSpec) => (spec.assets !== undefined && !isUnknownValue(spec.assets) ? spec.assets.directory : undefined);
  const current = directory(now);
  const manifest = current === undefined ? undefined : news.assetsManifests?.[current];
  if (manifest === undefined) return now.assets === undefined ? "removed" : "files unknown until up";
  const previous = directory(old);
  return describeAssetChanges(previous === undefined ? undefined : olds?.assetsManifests?.[previous], manifest);
}
