/**
 * Tenants whose change is only tags or secrets get those calls instead of an upload, by the rule a
 * NamespacedWorkerScript follows (../workers/script-edits.ts). The rule compares the previous spec
 * with the new one, and only check has the previous inputs (update gets the state): so check
 * decides, per tenant, which calls carry its change, and records them by name in `__edits`; update
 * takes the values from the inputs it is given and makes the calls.
 *
 * A tenant's tags as Cloudflare has them include the fleet's (fleet-tags.ts): the spec tag moves
 * with the fingerprint, and tags and secrets are part of it, so an edit of a tenant carrying that
 * tag always sends its whole new tag list, and a recovery still reads the tags right.
 *
 * Each decision holds the fingerprint it starts from: update edits a tenant only while state says
 * Cloudflare has that spec (not after a failed `up` left the tenant at an older one, nor after a
 * refresh found it changed outside Pulumi); any other tenant is uploaded. The record is
 *
 *     kPckpKWbM6A JsRUiwwkVwY
 *     0t-001 0 t
 *     6002 1 +API_KEY -OLD_KEY
 *
 * a first line with every distinct starting fingerprint once (tenants sharing a spec share it),
 * then a line per tenant, by name (line-text.ts): the starting fingerprint's place in the first
 * line, `t` when the tags change, `+` and the secrets to put, `-` and the secrets to delete (names,
 * comma-separated, escaped). Names only, never a value.
 */
import type { ProviderCaches } from "../caches";
import type { ScriptAddress } from "../workers/script-api";
import { type EditableScript, type PlannedEdits, type ScriptEdits, editsOf, plannedEdits } from "../workers/script-edits";
import { tagsWithFleetTags } from "./fleet-tags";
import { escaped, frontCodedNames, nameReader, unescaped } from "./line-text";
import { type FleetSpecs, effectiveSpecs, knownTenants, sameByText } from "./plan";
import { type TenantSpec, assetsHashOf, contentHashOf, fingerprint } from "./spec";
import { type TenantState, fingerprintOf, shortFingerprint } from "./states";

/** One tenant's edits by name, and the fingerprint of the spec they start from. */
export interface TenantEdits {
  from: string;
  tags: boolean;
  putSecrets: string[];
  deleteSecrets: string[];
}

/** A tenant as Cloudflare has it after an upload of `spec`: the fleet's tags with its own, the code and files by their hashes. */
function asUploaded(spec: TenantSpec, hashes: FleetSpecs, print: string, caches: ProviderCaches): EditableScript {
  return {
    ...spec,
    tags: tagsWithFleetTags(spec, print),
    contentHash: contentHashOf(spec, hashes.contentHashes, caches),
    assetsHash: assetsHashOf(spec, hashes.assetsHashes),
  };
}

/** For each tenant of both inputs whose change the edit calls carry, those calls by name (no tenant: no entry). */
export function plannedTenantEdits(
  namespace: string,
  olds: FleetSpecs,
  news: FleetSpecs,
  caches: ProviderCaches,
): Record<string, TenantEdits> {
  const planned: Record<string, TenantEdits> = {};
  if (knownTenants(olds) === undefined || knownTenants(news) === undefined) return planned;
  const before = effectiveSpecs(olds, caches);
  const unchanged = sameByText(olds, news);
  for (const [name, spec] of Object.entries(effectiveSpecs(news, caches))) {
    const old = before[name];
    if (old === undefined || unchanged(name)) continue;
    const from = fingerprint(old, olds, caches);
    const to = fingerprint(spec, news, caches);
    if (from === undefined || to === undefined || from === to) continue;
    const address: ScriptAddress = { namespace, scriptName: name };
    const edits = plannedEdits(address, asUploaded(old, olds, from, caches), asUploaded(spec, news, to, caches));
    if (edits) planned[name] = { from, tags: edits.tags !== undefined, putSecrets: edits.putSecrets, deleteSecrets: edits.deleteSecrets };
  }
  return planned;
}

/**
 * The calls for one tenant of update's plan (new fingerprint `print`), with its secrets' values;
 * undefined when it is uploaded instead: nothing decided for it, or state not at the spec the
 * decision starts from.
 */
export function tenantEditsFor(
  planned: TenantEdits | undefined,
  state: TenantState | undefined,
  spec: TenantSpec,
  hashes: FleetSpecs,
  print: string | undefined,
  caches: ProviderCaches,
): ScriptEdits | undefined {
  if (planned === undefined || state === undefined || state.drifted || print === undefined || state.specHash !== planned.from)
    return undefined;
  const uploaded = asUploaded(spec, hashes, print, caches);
  const calls: PlannedEdits = {
    tags: planned.tags ? uploaded.tags : undefined,
    putSecrets: planned.putSecrets,
    deleteSecrets: planned.deleteSecrets,
  };
  return editsOf(calls, uploaded);
}

const names = (prefix: string, list: string[]) => (list.length > 0 ? [prefix + list.map(escapedName).join(",")] : []);
const escapedName = (name: string) => escaped(name).replace(/,/g, "%2C");

/** The stored form (the module's comment), or undefined when no tenant is edited. */
export function storedTenantEdits(planned: Record<string, TenantEdits>): string | undefined {
  const tenants = Object.keys(planned);
  const froms = new Map<string, number>();
  const lines: string[] = [];
  const byEscaped = new Map(tenants.map((name) => [escaped(name), planned[name]]));
  for (const { name, field } of frontCodedNames([...byEscaped.keys()])) {
    const edits = byEscaped.get(name)!;
    const short = shortFingerprint(edits.from);
    if (short === undefined) continue; // never made by fleet/spec.ts: such a tenant is uploaded
    let at = froms.get(short);
    if (at === undefined) froms.set(short, (at = froms.size));
    lines.push(
      [field, at.toString(36), ...(edits.tags ? ["t"] : []), ...names("+", edits.putSecrets), ...names("-", edits.deleteSecrets)].join(" "),
    );
  }
  return lines.length === 0 ? undefined : [[...froms.keys()].join(" "), ...lines].join("\n");
}

/** The decisions from the stored form; none from anything else. */
export function tenantEditsOf(stored: unknown): Record<string, TenantEdits> {
  const planned: Record<string, TenantEdits> = {};
  if (typeof stored !== "string" || stored === "") return planned;
  const [header, ...lines] = stored.split("\n");
  const froms = header.split(" ").map(fingerprintOf);
  const readName = nameReader();
  for (const line of lines) {
    const [nameField, at, ...tokens] = line.split(" ");
    const from = froms[parseInt(at, 36)];
    const list = (prefix: string) =>
      (
        tokens
          .find((t) => t.startsWith(prefix))
          ?.slice(1)
          .split(",") ?? []
      ).map(unescaped);
    const name = unescaped(readName(nameField));
    if (from === undefined) continue;
    planned[name] = { from, tags: tokens.includes("t"), putSecrets: list("+"), deleteSecrets: list("-") };
  }
  return planned;
}
