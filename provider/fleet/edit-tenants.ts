/**
 * Carrying out the edits check decided (tenant-edits.ts): per tenant the tag and secret calls
 * (../workers/script-edits.ts), then one list of the namespace (a page per 1000 scripts) for what
 * those calls changed. Tag and secret calls answer with the tags and the secret's name and type
 * only (SDK 7.3.0 `TagUpdateResponse`, `SecretUpdateResponse`), yet a change of either is a change
 * of the script, whose `modified_on` ("When the script was last modified", SDK `Script`) refresh
 * compares: state records it from the list, so the next refresh finds no drift.
 */
import type { Session } from "../cloudflare/session";
import { type ScriptEdits, applyEdits } from "../workers/script-edits";
import { listScripts } from "../workers/script-api";
import { observedOf } from "./listed-tenants";
import { type Outcomes, forEachTenant } from "./pool";
import { startProgress } from "./progress";
import type { TenantState } from "./states";

export interface EditOutcomes extends Outcomes<TenantState> {
  /** Tenants whose secret calls Cloudflare refused (workers/script-edits.ts, 10215): uploaded instead. */
  refused: string[];
}

/**
 * Sends each tenant's `calls`; a tenant's state then holds its new fingerprint (`prints`) and what
 * the list says of it, and keeps the rest (assets, migrations: edits touch neither).
 */
export async function editTenants(
  session: Session,
  namespace: string,
  calls: ReadonlyMap<string, ScriptEdits>,
  previous: Readonly<Record<string, TenantState>>,
  prints: Readonly<Record<string, string | undefined>>,
  parallelism: number,
): Promise<EditOutcomes> {
  const outcomes: EditOutcomes = { done: new Map(), failed: new Map(), refused: [] };
  if (calls.size === 0) return outcomes;
  const progress = startProgress(session.context.policy, namespace, "edited", calls.size);
  const sent = await forEachTenant(
    [...calls.keys()],
    parallelism,
    progress.counted((name) => applyEdits(session, { namespace, scriptName: name }, calls.get(name)!)),
  ).finally(() => progress.stop());
  for (const [name, reason] of sent.failed) outcomes.failed.set(name, reason);
  const edited = [...sent.done].flatMap(([name, done]) => (done ? [name] : []));
  outcomes.refused = [...sent.done].flatMap(([name, done]) => (done ? [] : [name]));
  if (edited.length === 0) return outcomes;
  const listed = new Map(((await listScripts(session, namespace)) ?? []).map((s) => [s.script?.id, s]));
  for (const name of edited) {
    const found = listed.get(name);
    if (found === undefined) {
      outcomes.failed.set(name, "its script is missing from the namespace's list after its tag and secret changes");
      continue;
    }
    outcomes.done.set(name, { ...previous[name], ...observedOf(found), specHash: prints[name]! });
  }
  return outcomes;
}
