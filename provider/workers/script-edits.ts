/**
 * Changes Cloudflare takes without a new upload of the code. A script's tags have their own
 * endpoint (PUT …/scripts/:name/tags, namespaced scripts: SDK `dispatch.namespaces.scripts.tags.update`),
 * and so does each secret (PUT …/scripts/:name/secrets, DELETE …/secrets/:secret: SDK
 * `secrets.update` / `secrets.delete`, for namespaced and account-level scripts alike). An update
 * whose only changes are tags and secrets sends those calls, one per changed secret, instead of
 * every module of the script again; anything else still uploads (workers/upload.ts). One rule for
 * every path: a NamespacedWorkerScript's update decides and sends at once (editsInsteadOfUpload); a
 * TenantFleet's check decides by name (plannedEdits) and its update sends (editsOf, fleet/tenant-edits.ts).
 *
 * The script keeps its etag (the hash of its content, which these calls do not touch); its
 * modified_on moves (emulator/SOURCES.md, open question 12: [INF]), so the next refresh reads the
 * settings once and finds them as declared; a fleet reads the new times back at once (fleet/edit-tenants.ts).
 */
import { type SecretBody, putSecret } from "../cloudflare/endpoints/scripts";
import { describeFailure, hasErrorCode } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { canonical } from "../framework/canonical-json";
import { type BindingMap, type BindingSpec, isValuelessSecret } from "./bindings";
import type { WorkerConfigInputs } from "./config";
import { type ScriptAddress, deleteScriptSecret, describeAddress, putScriptTags } from "./script-api";
import { UPLOAD_KEYS, changedKeys } from "./script-diff";

export interface ScriptEdits {
  /** The script's whole tag list, when it changed. */
  tags?: string[];
  /** Secrets to put: added ones and ones whose value or kind changed. */
  putSecrets: SecretBody[];
  /** Names of secrets no longer declared. */
  deleteSecrets: string[];
}

/**
 * The same calls by name, without a secret's value: what a TenantFleet's check decides and records
 * for its update, which takes the values from the inputs it is given (editsOf).
 */
export interface PlannedEdits {
  /** The script's whole tag list, when it changed. */
  tags?: string[];
  /** Names of the secrets to put. */
  putSecrets: string[];
  /** Names of the secrets to delete. */
  deleteSecrets: string[];
}

/** A script's upload inputs as the comparison reads them: `contentHash` stands for the code, `assetsHash` for the files. */
export type EditableScript = WorkerConfigInputs & { contentHash?: string; assets?: unknown; assetsHash?: string };

/** The binding kinds the secrets endpoint takes (SDK `SecretUpdateParams`). */
const SECRET_TYPES: ReadonlySet<string> = new Set(["secret_text", "secret_key"]);

/** The keys these calls can carry; a change of any other upload key needs the upload. */
const EDITABLE_KEYS: ReadonlySet<string> = new Set(["tags", "secretBindings"]);

/**
 * The calls that carry the change from `olds` to `news` without an upload, or undefined when an
 * upload is needed (another key changed, or a secret taken over at import has no value to send).
 */
export function editsInsteadOfUpload(address: ScriptAddress, olds: EditableScript, news: EditableScript): ScriptEdits | undefined {
  const planned = plannedEdits(address, olds, news);
  return planned && editsOf(planned, news);
}

/** The decision of editsInsteadOfUpload, by name: which calls, or undefined when an upload is needed. */
export function plannedEdits(address: ScriptAddress, olds: EditableScript, news: EditableScript): PlannedEdits | undefined {
  const changed = changedKeys(UPLOAD_KEYS, olds, news);
  if (changed.length === 0 || changed.some((key) => !EDITABLE_KEYS.has(key))) return undefined;
  // SDK 7.3.0 (and Cloudflare's API reference) has the tags endpoint for namespaced scripts only.
  if (changed.includes("tags") && address.namespace === undefined) return undefined;
  const before: BindingMap = olds.secretBindings ?? {};
  const after: BindingMap = news.secretBindings ?? {};
  const putSecrets = Object.keys(after)
    .filter((name) => before[name] === undefined || canonical(before[name]) !== canonical(after[name]))
    .sort();
  if (putSecrets.some((name) => !isSendable(after[name]))) return undefined;
  return {
    tags: changed.includes("tags") ? (news.tags ?? []) : undefined,
    putSecrets,
    // A secret of a kind in keepBindings stays on an upload that omits it (Cloudflare's keep_bindings): so it does here.
    deleteSecrets: Object.keys(before)
      .filter((name) => after[name] === undefined && !(news.keepBindings ?? []).includes(before[name].type))
      .sort(),
  };
}

/** The calls of `planned` with the secrets' values from `news`; undefined when `news` does not declare a named secret the endpoint takes. */
export function editsOf(planned: PlannedEdits, news: EditableScript): ScriptEdits | undefined {
  const after: BindingMap = news.secretBindings ?? {};
  if (planned.putSecrets.some((name) => after[name] === undefined || !isSendable(after[name]))) return undefined;
  return { ...planned, putSecrets: planned.putSecrets.map((name) => secretBody(name, after[name])) };
}

/** Only a secret's own kinds go through the secrets endpoint; a valueless one (taken over at import) has nothing to send. */
function isSendable(spec: BindingSpec): boolean {
  return SECRET_TYPES.has(spec.type) && !isValuelessSecret(spec);
}

function secretBody(name: string, spec: BindingSpec): SecretBody {
  // A secret_text or secret_key binding (checked above) is the endpoint's body with its name.
  return { name, ...spec } as SecretBody;
}

/**
 * A Worker whose newest version is not the deployed one takes no secret change (10215: wrangler's
 * `secret` command reports it as "the latest version of your Worker isn't currently deployed").
 */
const VERSION_NOT_DEPLOYED = 10215;

/**
 * Sends the edits: the tags, then each secret put and delete. Each call is idempotent, so a retried
 * `up` repeats none harmfully. False when Cloudflare refuses secret changes for the script's versions:
 * the caller uploads instead, which deploys the declared secrets with the code.
 */
export async function applyEdits(session: Session, address: ScriptAddress, edits: ScriptEdits): Promise<boolean> {
  if (edits.tags !== undefined) await putScriptTags(session, address, edits.tags);
  const secretCalls: Array<[string, () => Promise<void>]> = [
    ...edits.putSecrets.map((secret): [string, () => Promise<void>] => [
      `setting secret '${secret.name}'`,
      () => putSecret(session, address, secret),
    ]),
    ...edits.deleteSecrets.map((name): [string, () => Promise<void>] => [
      `removing secret '${name}'`,
      () => deleteScriptSecret(session, address, name),
    ]),
  ];
  for (const [action, call] of secretCalls) {
    try {
      await call();
    } catch (error) {
      if (hasErrorCode(error, VERSION_NOT_DEPLOYED)) return false;
      throw describeFailure(`${action} of ${describeAddress(address)}`, error);
    }
  }
  return true;
}
