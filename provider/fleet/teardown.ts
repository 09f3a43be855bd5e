/**
 * Deleting tenants: when a fleet's last tenants go (a destroy, or every tenant removed), one call
 * deletes every script carrying the fleet's tag (fleet-tags.ts, ../workers/delete-by-tag.ts) after
 * one list of the namespace (a page per 1000 scripts) has shown that each script carrying it is one
 * of the tenants being deleted. Otherwise, and for tenants without the tag, one delete per script.
 *
 * Never a script the fleet does not own: the tag is shared by every tenant of the fleet (and of any
 * other fleet in the namespace), so it is used only when no tagged script would survive it: not
 * while other tenants stay, not while a released tenant or another fleet's tenant still carries it.
 */
import type { Session } from "../cloudflare/session";
import { deleteScriptsByTag } from "../workers/delete-by-tag";
import { deleteScript, listScripts } from "../workers/script-api";
import { FLEET_TAG, isFleetTagged } from "./fleet-tags";
import { type Outcomes, forEachTenant } from "./pool";
import { startProgress } from "./progress";

/** Below this many tenants, deleting each costs no more than a list and a delete by tag. */
const BY_TAG_FROM = 3;

/**
 * Deletes the scripts `names` of `namespace`, idempotently; `lastTenants` when no tenant of the fleet
 * remains afterwards (only then may the shared tag be used).
 */
export async function deleteTenants(
  session: Session,
  namespace: string,
  names: readonly string[],
  lastTenants: boolean,
  parallelism: number,
): Promise<Outcomes<boolean>> {
  const progress = startProgress(session.context.policy, namespace, "deleted", names.length);
  const single = progress.counted((name: string) => deleteScript(session, { namespace, scriptName: name }));
  try {
    return await deleteEach(session, namespace, names, lastTenants, parallelism, single);
  } finally {
    progress.stop();
  }
}

async function deleteEach(
  session: Session,
  namespace: string,
  names: readonly string[],
  lastTenants: boolean,
  parallelism: number,
  single: (name: string) => Promise<boolean>,
): Promise<Outcomes<boolean>> {
  if (!lastTenants || names.length < BY_TAG_FROM) return forEachTenant(names, parallelism, single);
  const listed = await listScripts(session, namespace);
  const outcomes: Outcomes<boolean> = { done: new Map(), failed: new Map() };
  if (listed === undefined) {
    for (const name of names) outcomes.done.set(name, false); // the namespace is gone, and its scripts with it
    return outcomes;
  }
  const deleting = new Set(names);
  const tagged = listed.flatMap((s) => (s.script?.id && isFleetTagged(s.script.tags) ? [s.script.id] : []));
  const byTag = tagged.length > 0 && tagged.every((name) => deleting.has(name)) ? new Set(tagged) : new Set<string>();
  if (byTag.size > 0) await deleteScriptsByTag(session, namespace, FLEET_TAG);
  const present = new Set(listed.flatMap((s) => (s.script?.id ? [s.script.id] : [])));
  const rest = names.filter((name) => !byTag.has(name) && present.has(name));
  for (const name of names) if (byTag.has(name) || !present.has(name)) outcomes.done.set(name, byTag.has(name));
  const singles = await forEachTenant(rest, parallelism, single);
  for (const [name, deleted] of singles.done) outcomes.done.set(name, deleted);
  for (const [name, reason] of singles.failed) outcomes.failed.set(name, reason);
  return outcomes;
}
