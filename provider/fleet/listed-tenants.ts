/**
 * Recovery by the page: which tenants missing from state (a killed `up` uploaded them, then
 * `refresh --clear-pending-creates` forgot the fleet's pending create) the namespace's script list
 * shows as already uploaded by this fleet from the spec the program now declares, so they are taken
 * into state from the list, with no request of their own.
 *
 * A listed script qualifies when its tags (fleet-tags.ts) say a fleet uploaded it from a spec with
 * this tenant's fingerprint, and its etag is the one Cloudflare gives the same code elsewhere in the
 * list: the etag stands for the code (Cloudflare's `etag`, "Hashed script content"; SDK `Script.etag`),
 * so a tenant whose code was replaced outside Pulumi after the upload differs from the other tenants
 * sharing that code and gets the closer look (workers/adopt.ts) instead. A tenant alone with its code
 * has nothing to differ from: its tags decide.
 */
import type { NamespacedScript, ScriptInfo } from "../workers/script-api";
import { isFleetUploadOf } from "./fleet-tags";

/** What the list says of a script the fleet takes from it (the fields a tenant's state keeps). */
export interface ListedUpload extends ScriptInfo {
  has_assets?: boolean;
}

export interface ListedCandidate {
  /** The tenant's fingerprint now; undefined while part of its spec is unknown (never taken from the list). */
  print: string | undefined;
  /** What identifies the tenant's code (its content hash), to compare etags between tenants sharing it. */
  code: string | undefined;
}

/** The tenants among `candidates` that the list shows as already uploaded as declared, with what it says of each. */
export function uploadedAsDeclared(
  candidates: Record<string, ListedCandidate>,
  listed: ReadonlyMap<string, NamespacedScript>,
): Map<string, ListedUpload> {
  const matching = new Map<string, { code: string; script: NamespacedScript }>();
  for (const [name, { print, code }] of Object.entries(candidates)) {
    const found = listed.get(name);
    if (print === undefined || code === undefined || !found?.script?.etag) continue;
    if (isFleetUploadOf(found.script.tags, print)) matching.set(name, { code, script: found });
  }
  const etagOfCode = commonEtags([...matching.values()].map(({ code, script }) => [code, script.script!.etag!]));
  const taken = new Map<string, ListedUpload>();
  for (const [name, { code, script }] of matching) {
    const inner = script.script!;
    if (inner.etag !== etagOfCode.get(code)) continue;
    taken.set(name, { ...inner, tags: inner.tags ?? undefined, modified_on: script.modified_on ?? inner.modified_on });
  }
  return taken;
}

/** The etag most scripts of each code carry. */
function commonEtags(pairs: Array<[string, string]>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const [code, etag] of pairs) {
    const byEtag = counts.get(code) ?? counts.set(code, new Map()).get(code)!;
    byEtag.set(etag, (byEtag.get(etag) ?? 0) + 1);
  }
  const common = new Map<string, string>();
  for (const [code, byEtag] of counts) common.set(code, [...byEtag].sort((a, b) => b[1] - a[1])[0][0]);
  return common;
}

/** What state keeps of a listed script: its etag and its modification time (the list item's, else the script's). */
export function observedOf(found: NamespacedScript): { etag: string; modifiedOn: string } {
  return { etag: found.script?.etag ?? "", modifiedOn: found.modified_on ?? found.script?.modified_on ?? "" };
}
