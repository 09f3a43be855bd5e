/**
 * TenantFleet: many tenant scripts of one dispatch namespace as one resource, so the engine's cost
 * per resource is paid once, not per tenant. Each tenant is what a NamespacedWorkerScript would
 * upload (the same spec rules, code builder, metadata and API calls: ../workers/); this module only
 * decides, per tenant, what to do.
 *
 * - check:   every tenant's spec against Cloudflare's rules (failures named `tenants.<name>.<prop>`),
 *            each entrypoint bundled once for its hash (`contentHashes`), and `changes`: the line
 *            preview shows for what `up` will do (fleet/changes.ts), from the previous inputs or,
 *            after a refresh found tenants changed outside Pulumi, from the states it recorded.
 * - diff:    a fingerprint per tenant (fleet/spec.ts) against state; an unknown inside one tenant's
 *            spec makes only that tenant change. A new namespace or account replaces the fleet.
 * - create/update: uploads only tenants whose fingerprint moved (code built once per distinct code),
 *            each exactly as a NamespacedWorkerScript uploads (../workers/upload.ts: assets and
 *            migrations included), deletes removed tenants, forgets released ones; a script that
 *            already exists with this exact code and configuration is adopted without an upload
 *            (../workers/adopt.ts). Steps run in parallel under
 *            the request policy; if some fail, the engine is told the fleet exists with the tenants
 *            that succeeded (an initialization error), and the next `up` continues from there.
 * - read:    one paginated list of the namespace (1000 scripts per request): a tenant whose etag or
 *            modified_on moved is marked drifted (the next `up` uploads it), a missing one is dropped,
 *            and then the stored inputs are replaced by the refreshed states (`__refreshed`), so the
 *            next preview's `changes` names those tenants. Given only an id (`TenantFleet.get`),
 *            every script of the namespace is a tenant.
 * - delete:  every tenant's script, idempotently.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { namespaceNameProblem, scriptNameProblem } from "../cloudflare/names";
import { policySettings } from "../cloudflare/request-policy";
import { Session, checkConnection, openSession } from "../cloudflare/session";
import { Failures, isNew, withoutNulls } from "../framework/check";
import { asSecret, unwrapSecret } from "../framework/secret";
import { changedKeys } from "../framework/diff";
import { initializationError } from "../framework/partial-failure";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { alreadyAsDeclared } from "../workers/adopt";
import { compactManifest } from "../workers/asset-changes";
import { AssetReads } from "../workers/asset-reads";
import { AssetsError, assetsConfigProblems } from "../workers/assets";
import { buildCode } from "../workers/code";
import { NamespacedScript, ScriptInfo, deleteScript, listScripts } from "../workers/script-api";
import { checkedContentHash, isCodeKnown, scriptSpecProblems } from "../workers/script-spec";
import { uploadWorker } from "../workers/upload";
import { describeChanges, describeChangesFromStates } from "../fleet/changes";
import { FleetPlan, FleetSpecs, effectiveSpecs, knownTenants, planFromState, registeredDefaults, registeredTenants, tenantSpecOf } from "../fleet/plan";
import { forEachTenant } from "../fleet/pool";
import { StoredTenantStates, TenantState, storedTenantStates, tenantStatesOf } from "../fleet/states";
import { TenantSpec, codeKey, fingerprint } from "../fleet/spec";

export interface TenantFleetInputs extends CredentialInputs, FleetSpecs {
  /** The dispatch namespace's name. */
  namespace: string;
  /** The namespace's immutable id, when the sdk was given the DispatchNamespace resource. */
  namespaceId?: string;
  /** The import option: the namespace whose scripts the fleet takes over at create (adopted where identical). */
  importFrom?: string;
  /** Set by check: what this `up` changes, in one line. */
  changes?: string;
  /** Set by read, in place of the specs, when refresh found tenants changed outside Pulumi: their states as it recorded them (a secret). */
  __refreshed?: string;
}

/** State: where the fleet is, its credentials, and per tenant a fingerprint and Cloudflare's etag (no code, no configuration). */
export interface TenantFleetOutputs extends CredentialInputs {
  namespace: string;
  namespaceId?: string;
  accountId: string;
  /** Every tenant's TenantState as one text, a line per tenant (fleet/states.ts); read in either stored form. */
  scripts: StoredTenantStates;
}

/** Tenant uploads (and deletes) in flight at once; the request policy paces the requests themselves. */
function parallelism(): number {
  return policySettings().maxConcurrency;
}

function failuresOf(spec: unknown, at: string, failures: Failures): void {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    failures.add(at, `${at} must be an object with the tenant's code and configuration`);
    return;
  }
  for (const p of scriptSpecProblems(spec as TenantSpec)) failures.add(`${at}.${p.property}`, p.reason);
  for (const reason of assetsConfigProblems((spec as TenantSpec).assets)) failures.add(`${at}.assets`, reason);
}

/** Validates and builds; returns the inputs as they go to diff (with `contentHashes` and `changes`). */
export async function check(olds: Partial<TenantFleetInputs>, given: TenantFleetInputs): Promise<pulumi.dynamic.CheckResult> {
  const news = withoutNulls(given);
  const failures = new Failures();
  const raw = news as unknown as Record<string, unknown>;
  const namespace = failures.requireString(raw, "namespace");
  const nsProblem = namespace === undefined ? undefined : namespaceNameProblem(namespace);
  if (nsProblem) failures.add("namespace", `namespace ${nsProblem}`);
  const givenDefaults = registeredDefaults(news);
  const defaults = givenDefaults === undefined ? undefined : tenantSpecOf(givenDefaults);
  if (defaults !== undefined && !isUnknownValue(defaults) && (typeof defaults !== "object" || Array.isArray(defaults))) {
    failures.add("defaults", "defaults must be an object with the code and configuration every tenant shares");
  }
  if (news.release !== undefined && !isUnknown(news.release) && (!Array.isArray(news.release) || news.release.some((n) => typeof n !== "string"))) {
    failures.add("release", "release must be a list of tenant names");
  }
  failures.optionalString(raw, "importFrom");
  if (news.importFrom !== undefined && namespace !== undefined && !isUnknown(news.importFrom) && news.importFrom !== namespace) {
    failures.add("namespace", `the import id '${news.importFrom}' names a different namespace than namespace '${namespace}'`);
  }
  const tenants = registeredTenants(news);
  if (tenants === undefined || (!isUnknownValue(tenants) && (typeof tenants !== "object" || Array.isArray(tenants)))) {
    failures.add("tenants", "tenants is required: an object of tenant script name → its code and configuration");
  }
  const effective = failures.any ? {} : effectiveSpecs(news);
  for (const [name, spec] of Object.entries(effective)) {
    const problem = scriptNameProblem(name);
    if (problem) failures.add(`tenants.${name}`, `the tenant name (its script name) ${problem}`);
    if (isUnknownValue(spec)) continue;
    failuresOf(spec, `tenants.${name}`, failures);
    if (Array.isArray(news.release) && news.release.includes(name)) failures.add("release", `'${name}' is both a tenant and released: a released tenant leaves the fleet`);
  }
  if (failures.any) return { failures: failures.list };

  const accountId = await checkConnection(credentialsOf(news), failures);
  const contentHashes = await checkCode(effective, failures);
  // A read of its own per check for now: held by a per-process context, one AssetReads would let this read serve the upload of the same `up`.
  const assets = checkAssets(effective, failures, new AssetReads());
  const imported = accountId && isNew(olds) ? await importedScripts(news, accountId, failures) : undefined;
  if (failures.any) return { failures: failures.list };
  const inputs: TenantFleetInputs = { ...news };
  if (accountId) inputs.accountId = accountId;
  if (Object.keys(contentHashes).length > 0) inputs.contentHashes = contentHashes;
  else delete inputs.contentHashes;
  if (Object.keys(assets.hashes).length > 0) {
    inputs.assetsHashes = assets.hashes;
    inputs.assetsManifests = assets.manifests;
  } else {
    delete inputs.assetsHashes;
    delete inputs.assetsManifests;
  }
  const refreshed = (olds as Partial<TenantFleetInputs>).__refreshed;
  inputs.changes =
    refreshed !== undefined
      ? describeChangesFromStates(tenantStatesOf(unwrapSecret(refreshed) as string), inputs)
      : describeChanges(isNew(olds) ? undefined : (olds as FleetSpecs), inputs, imported);
  return { inputs };
}

/** With the import option, at preview: the names of the namespace's scripts, which create adopts where identical; a missing namespace fails. */
async function importedScripts(news: TenantFleetInputs, accountId: string, failures: Failures): Promise<Set<string> | undefined> {
  if (news.importFrom === undefined || isUnknown(news.importFrom)) return undefined;
  const list = await listScripts(await openSession(credentialsOf(news)), news.importFrom);
  if (list === undefined) {
    failures.add("import", `the import option names dispatch namespace '${news.importFrom}', which does not exist in account ${accountId} (remove the option to create the fleet's scripts, or fix the name)`);
    return undefined;
  }
  return new Set(list.flatMap((s) => (s.script?.id ? [s.script.id] : [])));
}

/** Each distinct code built (and parsed) once, however many tenants share it; entrypoints' hashes returned by code key. */
async function checkCode(effective: Record<string, TenantSpec>, failures: Failures): Promise<Record<string, string>> {
  const byCode = new Map<string, { spec: TenantSpec; names: string[] }>();
  for (const [name, spec] of Object.entries(effective)) {
    if (isUnknownValue(spec) || !isCodeKnown(spec)) continue;
    const key = codeKey(spec) ?? `inline:${spec.content}`;
    const group = byCode.get(key) ?? byCode.set(key, { spec, names: [] }).get(key)!;
    group.names.push(name);
  }
  const hashes: Record<string, string> = {};
  for (const [key, { spec, names }] of byCode) {
    const checked = await checkedContentHash(spec);
    if ("problem" in checked) {
      const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      failures.add(`tenants.${names[0]}.${checked.problem.property}`, `${checked.problem.reason} (tenants ${shown})`);
    } else if (!key.startsWith("inline:")) hashes[key] = checked.contentHash;
  }
  return hashes;
}

/**
 * Each distinct asset directory read once for its manifest (Cloudflare's limits checked as for a
 * NamespacedWorkerScript), however many tenants serve it: hash and compact manifest by directory.
 * A directory still unknown at preview is read at `up`.
 */
function checkAssets(effective: Record<string, TenantSpec>, failures: Failures, reads: AssetReads): { hashes: Record<string, string>; manifests: Record<string, string> } {
  const hashes: Record<string, string> = {};
  const manifests: Record<string, string> = {};
  for (const [name, spec] of Object.entries(effective)) {
    const directory = isUnknownValue(spec) || spec.assets === undefined || isUnknownValue(spec.assets) ? undefined : spec.assets.directory;
    if (typeof directory !== "string" || isUnknown(directory) || directory in hashes) continue;
    try {
      const read = reads.read(directory);
      hashes[directory] = read.manifestHash;
      manifests[directory] = compactManifest(read);
    } catch (error) {
      if (!(error instanceof AssetsError)) throw error;
      failures.add(`tenants.${name}.assets`, error.message);
    }
  }
  return { hashes, manifests };
}

function moved(olds: TenantFleetOutputs, news: TenantFleetInputs): boolean {
  if (changedKeys(["namespace"], olds, news).length === 0) return false;
  return !(olds.namespaceId && olds.namespaceId === news.namespaceId); // same id: the namespace was renamed, its scripts went with it
}

/** Which tenants change is the plan's business; the fleet is replaced only by a new namespace or account. */
export async function diff(_id: string, olds: TenantFleetOutputs, news: TenantFleetInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = [];
  if (isUnknown(news.namespace) || moved(olds, news)) replaces.push("namespace");
  if (news.accountId !== undefined && changedKeys(["accountId"], olds, news).length > 0) replaces.push("accountId");
  const plan = planFromState(tenantStatesOf(olds.scripts), news);
  const tenantChanges = knownTenants(news) === undefined || isUnknown(news.release) || plan.create.length + plan.update.length + plan.remove.length + plan.release.length > 0;
  const others = changedKeys(["namespace", "namespaceId", "apiToken", "apiKey", "email"], olds, news).length > 0;
  return { changes: replaces.length > 0 || tenantChanges || others, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: TenantFleetInputs): Promise<pulumi.dynamic.CreateResult> {
  const id = inputs.namespace;
  const outs = await apply(id, undefined, inputs);
  return { id, outs };
}

export async function update(id: string, olds: TenantFleetOutputs, news: TenantFleetInputs): Promise<pulumi.dynamic.UpdateResult> {
  return { outs: await apply(id, olds, news) };
}

/** One `up`: the plan carried out tenant by tenant; a partial failure reports what succeeded. */
async function apply(id: string, olds: TenantFleetOutputs | undefined, news: TenantFleetInputs): Promise<TenantFleetOutputs> {
  const session = await openSession(credentialsOf(news));
  const scripts: Record<string, TenantState> = { ...tenantStatesOf(olds?.scripts) };
  const plan = planFromState(scripts, news);
  const effective = effectiveSpecs(news);
  // Tenants serving the same directory read it once.
  const uploads = await uploadTenants(session, news.namespace, plan, effective, news, scripts, news.importFrom !== undefined, new AssetReads());
  for (const [name, state] of uploads.done) scripts[name] = state;
  const deletes = await forEachTenant(plan.remove, parallelism(), (name) => deleteScript(session, { namespace: news.namespace, scriptName: name }));
  for (const name of [...deletes.done.keys(), ...plan.release]) delete scripts[name];

  const { apiToken, apiKey, email } = credentialsOf(news);
  const outs: TenantFleetOutputs = { namespace: news.namespace, accountId: session.accountId, scripts: storedTenantStates(scripts) };
  if (news.namespaceId !== undefined) outs.namespaceId = news.namespaceId;
  Object.assign(outs, Object.fromEntries(Object.entries({ apiToken, apiKey, email }).filter(([, v]) => v !== undefined)));
  const failed = [...uploads.failed, ...deletes.failed];
  if (failed.length > 0) {
    const reasons = failed.map(([name, reason]) => `tenant '${name}': ${reason}`);
    const done = uploads.done.size + deletes.done.size;
    const message = `${failed.length} of ${done + failed.length} tenant changes failed (the ${done} that succeeded are kept; the next up retries the rest): ${reasons.slice(0, 3).join("; ")}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ""}`;
    throw initializationError(id, outs, reasons, message);
  }
  return outs;
}

/**
 * Creates and updates, each tenant as one script upload (../workers/upload.ts); for a create, a
 * script already in the namespace is adopted when it is exactly this tenant (../workers/adopt.ts).
 * An update keeps what Cloudflare already has for the tenant: its assets when the manifest is the
 * same (no asset request), its applied migrations (not sent again).
 */
async function uploadTenants(
  session: Session,
  namespace: string,
  plan: FleetPlan,
  effective: Record<string, TenantSpec>,
  built: FleetSpecs,
  previous: Record<string, TenantState>,
  explicitImport: boolean,
  assetReads: AssetReads,
) {
  const names = [...plan.create, ...plan.update];
  const existing = plan.create.length > 0 ? await existingScripts(session, namespace) : new Map<string, NamespacedScript>();
  return forEachTenant(names, parallelism(), async (name): Promise<TenantState> => {
    const spec = effective[name];
    const address = { namespace, scriptName: name };
    const bundle = await buildCode(spec); // memoized per entrypoint; inline text is hashed, not bundled
    const key = codeKey(spec);
    const hashes = { ...built, contentHashes: { ...built.contentHashes, ...(key ? { [key]: bundle.contentHash } : {}) } };
    const found = existing.get(name);
    const listed = found?.script?.etag ? { ...found.script, modified_on: found.modified_on ?? found.script.modified_on } : undefined;
    const adopted = listed && (await alreadyAsDeclared(session, address, spec, bundle, { explicitImport, script: listed }));
    if (adopted) return stateOf(spec, hashes, adopted);
    const old = previous[name];
    // A script re-uploaded outside Pulumi may have lost its assets: they are sent again.
    const keptAssetsHash = old?.drifted ? undefined : old?.assetsHash;
    const uploaded = await uploadWorker(session, address, spec, { bundle, appliedTag: old?.migrationTag, keptAssetsHash, assetReads });
    return stateOf(spec, { ...hashes, assetsHashes: { ...hashes.assetsHashes, ...assetsHashEntry(spec, uploaded.assetsHash) } }, uploaded.script, uploaded.assetsHash);
  });
}

/** A tenant's state after an upload or adoption: its fingerprint and what Cloudflare answered. */
function stateOf(spec: TenantSpec, hashes: FleetSpecs, script: ScriptInfo, assetsHash?: string): TenantState {
  const state: TenantState = { specHash: fingerprint(spec, hashes)!, etag: script.etag ?? "", modifiedOn: script.modified_on ?? "" };
  if (assetsHash !== undefined) state.assetsHash = assetsHash;
  if (script.migration_tag) state.migrationTag = script.migration_tag;
  return state;
}

/** The directory's manifest hash as read at `up` (a directory computed by another resource is unknown at check). */
function assetsHashEntry(spec: TenantSpec, assetsHash: string | undefined): Record<string, string> {
  return spec.assets !== undefined && assetsHash !== undefined ? { [spec.assets.directory]: assetsHash } : {};
}

async function existingScripts(session: Session, namespace: string): Promise<Map<string, NamespacedScript>> {
  const list = (await listScripts(session, namespace)) ?? [];
  return new Map(list.filter((s) => s.script?.id).map((s) => [s.script!.id!, s]));
}

/**
 * `pulumi refresh`: one list of the namespace, a page per 1000 scripts, instead of one request per
 * tenant. When a tenant changed or vanished outside Pulumi, the stored inputs are replaced by where
 * the fleet is and the states just read: the next check describes `changes` from those (what `up`
 * will write), not from the specs of the last `up`, which no longer say what Cloudflare has.
 */
export async function read(id: string, props: TenantFleetOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(credentialsOf(props));
  const list = await listScripts(session, props.namespace ?? id);
  if (list === undefined) return {}; // the namespace is gone, and its scripts with it
  const now = new Map(list.filter((s) => s.script?.id).map((s) => [s.script!.id!, s]));
  if (props.namespace === undefined && props.scripts === undefined) return { id, props: existingFleet(id, session.accountId, now) };
  const scripts: Record<string, TenantState> = {};
  let outside = false;
  for (const [name, state] of Object.entries(tenantStatesOf(props.scripts))) {
    const found = now.get(name);
    if (!found) {
      outside = true;
      continue; // deleted outside Pulumi: the next up creates it again
    }
    const etag = found.script?.etag ?? state.etag;
    const modifiedOn = found.modified_on ?? found.script?.modified_on ?? state.modifiedOn;
    const drifted = state.drifted || etag !== state.etag || modifiedOn !== state.modifiedOn;
    outside ||= drifted;
    scripts[name] = drifted ? { ...state, etag, modifiedOn, drifted: true } : state;
  }
  const outs: TenantFleetOutputs = { ...props, scripts: storedTenantStates(scripts) };
  return outside ? { id, props: outs, inputs: refreshedInputs(outs) } : { id, props: outs };
}

/** What `get` reads: the namespace with every script in it as a tenant (no fingerprint: the fleet never uploaded them). */
function existingFleet(namespace: string, accountId: string, now: Map<string, NamespacedScript>): TenantFleetOutputs {
  const scripts: Record<string, TenantState> = {};
  for (const [name, found] of now) scripts[name] = { specHash: "", etag: found.script?.etag ?? "", modifiedOn: found.modified_on ?? found.script?.modified_on ?? "" };
  return { namespace, accountId, scripts: storedTenantStates(scripts) };
}

/** The inputs after a refresh that found changes outside Pulumi: location, credentials, and the states, secret as `scripts` is. */
function refreshedInputs(outs: TenantFleetOutputs): Record<string, unknown> {
  const { namespace, namespaceId, accountId, apiToken, apiKey, email } = outs;
  const kept = Object.entries({ namespace, namespaceId, accountId, apiToken, apiKey, email }).filter(([, v]) => v !== undefined);
  return { ...Object.fromEntries(kept), __refreshed: asSecret(outs.scripts) };
}

/** Every tenant's script, idempotently (a missing one is already deleted); failures keep the fleet in state. */
export async function remove(_id: string, props: TenantFleetOutputs): Promise<void> {
  const session = await openSession(credentialsOf(props));
  const names = Object.keys(tenantStatesOf(props.scripts));
  const outcome = await forEachTenant(names, parallelism(), (name) => deleteScript(session, { namespace: props.namespace, scriptName: name }));
  if (outcome.failed.size > 0) {
    const [name, reason] = [...outcome.failed][0];
    throw new Error(`deleting ${outcome.failed.size} of ${names.length} tenant scripts failed (run destroy again: deleted ones are skipped): tenant '${name}': ${reason}`);
  }
}

export const tenantFleetProvider: pulumi.dynamic.ResourceProvider = { check, diff, create, read, update, delete: remove };
