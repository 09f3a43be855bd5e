/**
 * Taking over a script that already exists instead of uploading it again: when a tenant moves into a
 * fleet from a standalone NamespacedWorkerScript (deleted with `retainOnDelete`), its script is
 * already what the fleet would upload. It is adopted when its code hashes to the tenant's content
 * hash and its settings equal the tenant's configuration; otherwise (or when it has secrets, whose
 * values Cloudflare never returns) it is uploaded as usual. Two reads instead of one write.
 */
import type { Session } from "../cloudflare/session";
import { changedKeys } from "../workers/script-diff";
import { UPLOAD_KEYS } from "../workers/script-diff";
import { getScriptContentHash, getScriptSettings } from "../workers/script-api";
import { reportedConfig } from "../workers/script-lifecycle";
import type { TenantSpec } from "./spec";

export async function isAdoptable(session: Session, namespace: string, scriptName: string, spec: TenantSpec, contentHash: string): Promise<boolean> {
  if (Object.keys(spec.secretBindings ?? {}).length > 0 || (spec.keepBindings ?? []).length > 0) return false;
  const address = { namespace, scriptName };
  const [code, settings] = await Promise.all([getScriptContentHash(session, address), getScriptSettings(session, address)]);
  if (code !== contentHash || !settings) return false;
  const reported = reportedConfig(settings, undefined);
  if (Object.keys(reported.secretBindings ?? {}).length > 0) return false;
  const compared = UPLOAD_KEYS.filter((k) => k !== "contentHash" && k !== "keepBindings");
  // Cloudflare reports its defaults for what a spec leaves out (usage model, logpush): those compare equal.
  const declared = { usageModel: "standard", logpush: false, ...spec };
  return changedKeys(compared, reported, declared).length === 0;
}
