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
 *            migrations included) plus the fleet's tags (fleet/fleet-tags.ts), deletes removed
 *            tenants (fleet/teardown.ts), forgets released ones. A tenant missing from state whose
 *            script the namespace's list shows uploaded by the fleet from this spec is taken from
 *            the list (fleet/listed-tenants.ts: a killed `up`'s uploads cost no request); another
 *            script that already exists with this exact code and configuration is adopted without
 *            an upload (../workers/adopt.ts). A tenant whose change is only tags or secrets gets
 *            those calls instead of an upload, as a NamespacedWorkerScript does (fleet/tenant-edits.ts,
 *            fleet/edit-tenants.ts). Long steps print progress (fleet/progress.ts). Steps run in parallel under
 *            the request policy; if some fail, the engine is told the fleet exists with the tenants
 *            that succeeded (an initialization error), and the next `up` continues from there.
 * - hostnames: a tenant's customer domains (`hostnames`, custom hostnames of the fleet's `zoneId`)
 *            are made after the uploads and deleted before the scripts, in one pass for all tenants
 *            (fleet/tenant-hostnames.ts), so a hostname moved between tenants is edited in place.
 *            State keeps per tenant their fingerprint and ids; refresh lists the zone for their status.
 * - read:    one paginated list of the namespace (1000 scripts per request): a tenant whose etag or
 *            modified_on moved is marked drifted (the next `up` uploads it), a missing one is dropped,
 *            and then the stored inputs are replaced by the refreshed states (`__refreshed`), so the
 *            next preview's `changes` names those tenants. Given only an id (`TenantFleet.get`),
 *            every script of the namespace is a tenant.
 * - delete:  every tenant's script, idempotently: by the fleet's tag in one call when every script
 *            carrying it is a tenant (fleet/teardown.ts), one by one otherwise.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { namespaceNameProblem, scriptNameProblem } from "../cloudflare/names";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderCaches } from "../caches";
import type { ProviderContext } from "../context";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { Failures, isNew, withoutNulls } from "../framework/check";
import { type SecretValue, asSecret, unwrapSecret } from "../framework/secret";
import { changedKeys } from "../framework/diff";
import { initializationError } from "../framework/partial-failure";
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import { alreadyAsDeclared } from "../workers/adopt";
import { compactManifest } from "../workers/asset-changes";
import { AssetReads } from "../workers/asset-reads";
import { AssetsError, assetsConfigProblems } from "../workers/assets";
import { buildCode } from "../workers/code";
import { type NamespacedScript, type ScriptInfo, listScripts } from "../workers/script-api";
import { checkedContentHash, isCodeKnown, scriptSpecProblems } from "../workers/script-spec";
import { uploadWorker } from "../workers/upload";
import { describeChanges, describeChangesFromStates } from "../fleet/changes";
import {
  type FleetPlan,
  type FleetSpecs,
  effectiveSpecs,
  knownTenants,
  planFromState,
  registeredDefaults,
  registeredTenants,
  tenantSpecOf,
} from "../fleet/plan";
import { forEachTenant } from "../fleet/pool";
import { type StoredTenantStates, type TenantState, storedTenantStates, tenantStatesOf } from "../fleet/states";
import { type TenantSpec, assetsHashOf, codeKey, contentHashOf, fingerprint } from "../fleet/spec";
import { tagsWithFleetTags } from "../fleet/fleet-tags";
import { uploadedAsDeclared } from "../fleet/listed-tenants";
import { type TenantEdits, plannedTenantEdits, storedTenantEdits, tenantEditsFor, tenantEditsOf } from "../fleet/tenant-edits";
import type { ScriptEdits } from "../workers/script-edits";
import { editTenants } from "../fleet/edit-tenants";
import { deleteTenants } from "../fleet/teardown";
import { failureLines } from "../fleet/failure-lines";
import { startProgress } from "../fleet/progress";
import { applyFleetHostnames, hostnameStatusSummary, refreshFleetHostnames, removeFleetHostnames } from "../fleet/tenant-hostnames";
import { hostnamesProblems, zoneProblems, declaresHostnames } from "../hostnames/tenant-hostnames";

export interface TenantFleetInputs extends CredentialInputs, FleetSpecs {
  /** The dispatch namespace's name. */
  namespace: string;
  /** The namespace's immutable id, when the sdk was given the DispatchNamespace resource. */
  namespaceId?: string;
  /** The import option: the namespace whose scripts the fleet takes over at create (adopted where identical). */
  importFrom?: string;
  /** Set by check: what this `up` changes, in one line. */
  changes?: string;
  /** Set by check: the tenants whose change only tag and secret calls carry, by name (fleet/tenant-edits.ts; a secret: it holds fingerprints). */
  __edits?: string | SecretValue<string>;
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
  /** The zone the tenants' hostnames are in, while any tenant has some. */
  zoneId?: string;
  /** How many hostnames have each status, e.g. "98 active, 2 pending"; absent without hostnames. */
  hostnameStatuses?: string;
}

/** Tenant uploads (and deletes) in flight at once; the request policy paces the requests themselves. */
function parallelism(session: Session): number {
  return session.context.policy.current().maxConcurrency;
}

function failuresOf(spec: unknown, at: string, failures: Failures): void {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    failures.add(at, `${at} must be an object with the tenant's code and configuration`);
    return;
  }
  for (const p of scriptSpecProblems(spec)) failures.add(`${at}.${p.property}`, p.reason);
  for (const reason of assetsConfigProblems((spec as TenantSpec).assets)) failures.add(`${at}.assets`, reason);
}

/** Validates and builds; returns the inputs as they go to diff (with `contentHashes` and `changes`). */
async function check(
  context: ProviderContext,
  olds: Partial<TenantFleetInputs>,
  given: TenantFleetInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const news = withoutNulls(given);
  const failures = new Failures();
  const namespace = failures.requireString(news, "namespace");
  const nsProblem = namespace === undefined ? undefined : namespaceNameProblem(namespace);
  if (nsProblem) failures.add("namespace", `namespace ${nsProblem}`);
  const givenDefaults = registeredDefaults(news);
  const defaults = givenDefaults === undefined ? undefined : tenantSpecOf(givenDefaults, context.caches.tenantSpecs);
  if (defaults !== undefined && !isUnknownValue(defaults) && (typeof defaults !== "object" || Array.isArray(defaults))) {
    failures.add("defaults", "defaults must be an object with the code and configuration every tenant shares");
  }
  if (
    news.release !== undefined &&
    !isUnknown(news.release) &&
    (!Array.isArray(news.release) || news.release.some((n) => typeof n !== "string"))
  ) {
    failures.add("release", "release must be a list of tenant names");
  }
  failures.optionalString(news, "importFrom");
  if (news.importFrom !== undefined && namespace !== undefined && !isUnknown(news.importFrom) && news.importFrom !== namespace) {
    failures.add("namespace", `the import id '${news.importFrom}' names a different namespace than namespace '${namespace}'`);
  }
  const tenants = registeredTenants(news);
  if (tenants === undefined || (!isUnknownValue(tenants) && (typeof tenants !== "object" || Array.isArray(tenants)))) {
    failures.add("tenants", "tenants is required: an object of tenant script name → its code and configuration");
  }
  const defaultHostnames = defaults !== undefined && !isUnknownValue(defaults) ? defaults.hostnames : undefined;
  if (defaultHostnames !== undefined)
    failures.add("defaults.hostnames", "hostnames belong to one tenant each: give them in tenants.<name>.hostnames");
  const effective = failures.any ? {} : effectiveSpecs(news, context.caches);
  checkHostnames(news.zoneId, effective, failures);
  for (const [name, spec] of Object.entries(effective)) {
    const problem = scriptNameProblem(name);
    if (problem) failures.add(`tenants.${name}`, `the tenant name (its script name) ${problem}`);
    if (isUnknownValue(spec)) continue;
    failuresOf(spec, `tenants.${name}`, failures);
    if (Array.isArray(news.release) && news.release.includes(name))
      failures.add("release", `'${name}' is both a tenant and released: a released tenant leaves the fleet`);
  }
  if (failures.any) return { failures: failures.list };

  const accountId = await checkConnection(context, credentialsOf(news), failures);
  const contentHashes = await checkCode(context, effective, failures);
  // A read of its own per check: a directory may change between commands of one provider process's life.
  const assets = checkAssets(effective, failures, new AssetReads());
  const imported = accountId && isNew(olds) ? await importedScripts(context, news, accountId, failures) : undefined;
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
  const refreshed = olds.__refreshed;
  // Only from the specs of the last `up`: a refresh that replaced them found tenants that are uploaded again.
  const edits =
    refreshed === undefined && namespace !== undefined && !isNew(olds) && olds.namespace === namespace
      ? storedTenantEdits(plannedTenantEdits(namespace, olds, inputs, context.caches))
      : undefined;
  if (edits !== undefined) inputs.__edits = asSecret(edits);
  else delete inputs.__edits;
  inputs.changes =
    refreshed !== undefined
      ? describeChangesFromStates(tenantStatesOf(unwrapSecret(refreshed) as string), inputs, context.caches)
      : describeChanges(isNew(olds) ? undefined : olds, inputs, context.caches, imported);
  return { inputs };
}

/** Each tenant's hostnames by the CustomHostname rules, the zone once any is declared, and no hostname given to two tenants. */
function checkHostnames(zoneId: unknown, effective: Record<string, TenantSpec>, failures: Failures): void {
  const owner = new Map<string, string>();
  let any = false;
  for (const [name, spec] of Object.entries(effective)) {
    if (isUnknownValue(spec) || spec === null || typeof spec !== "object") continue;
    const at = `tenants.${name}.hostnames`;
    for (const p of hostnamesProblems(spec.hostnames, at)) failures.add(p.property, p.reason);
    any ||= declaresHostnames(spec.hostnames);
    if (!Array.isArray(spec.hostnames)) continue;
    spec.hostnames.forEach((h, i) => {
      const hostname = isUnknownValue(h) ? undefined : h?.hostname;
      if (typeof hostname !== "string" || isUnknown(hostname)) return;
      const other = owner.get(hostname);
      if (other !== undefined && other !== name)
        failures.add(`${at}[${i}].hostname`, `the hostname '${hostname}' is also tenant '${other}'s: a hostname belongs to one tenant`);
      owner.set(hostname, name);
    });
  }
  for (const p of zoneProblems(zoneId, any)) failures.add(p.property, p.reason);
}

/** With the import option, at preview: the names of the namespace's scripts, which create adopts where identical; a missing namespace fails. */
async function importedScripts(
  context: ProviderContext,
  news: TenantFleetInputs,
  accountId: string,
  failures: Failures,
): Promise<Set<string> | undefined> {
  if (news.importFrom === undefined || isUnknown(news.importFrom)) return undefined;
  const list = await listScripts(await openSession(context, credentialsOf(news)), news.importFrom);
  if (list === undefined) {
    failures.add(
      "import",
      `the import option names dispatch namespace '${news.importFrom}', which does not exist in account ${accountId} (remove the option to create the fleet's scripts, or fix the name)`,
    );
    return undefined;
  }
  return new Set(list.flatMap((s) => (s.script?.id ? [s.script.id] : [])));
}

/** Each distinct code built (and parsed) once, however many tenants share it; entrypoints' hashes returned by code key. */
async function checkCode(
  context: ProviderContext,
  effective: Record<string, TenantSpec>,
  failures: Failures,
): Promise<Record<string, string>> {
  const byCode = new Map<string, { spec: TenantSpec; names: string[] }>();
  for (const [name, spec] of Object.entries(effective)) {
    if (isUnknownValue(spec) || !isCodeKnown(spec)) continue;
    const key = codeKey(spec) ?? `inline:${spec.content}`;
    const group = byCode.get(key) ?? byCode.set(key, { spec, names: [] }).get(key)!;
    group.names.push(name);
  }
  const hashes: Record<string, string> = {};
  for (const [key, { spec, names }] of byCode) {
    const checked = await checkedContentHash(context.caches, spec);
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
function checkAssets(
  effective: Record<string, TenantSpec>,
  failures: Failures,
  reads: AssetReads,
): { hashes: Record<string, string>; manifests: Record<string, string> } {
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
async function diff(
  context: ProviderContext,
  _id: string,
  olds: TenantFleetOutputs,
  news: TenantFleetInputs,
): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = [];
  if (isUnknown(news.namespace) || moved(olds, news)) replaces.push("namespace");
  if (news.accountId !== undefined && changedKeys(["accountId"], olds, news).length > 0) replaces.push("accountId");
  const plan = planFromState(tenantStatesOf(olds.scripts), news, context.caches);
  const tenantChanges =
    knownTenants(news) === undefined ||
    isUnknown(news.release) ||
    plan.create.length + plan.update.length + plan.remove.length + plan.release.length + plan.hostnames.length > 0;
  const others = changedKeys(["namespace", "namespaceId", "apiToken", "apiKey", "email"], olds, news).length > 0;
  return { changes: replaces.length > 0 || tenantChanges || others, replaces, deleteBeforeReplace: false };
}

async function create(context: ProviderContext, inputs: TenantFleetInputs): Promise<pulumi.dynamic.CreateResult> {
  const id = inputs.namespace;
  const outs = await apply(context, id, undefined, inputs);
  return { id, outs };
}

async function update(
  context: ProviderContext,
  id: string,
  olds: TenantFleetOutputs,
  news: TenantFleetInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  return { outs: await apply(context, id, olds, news) };
}

/** One `up`: the plan carried out tenant by tenant; a partial failure reports what succeeded. */
async function apply(
  context: ProviderContext,
  id: string,
  olds: TenantFleetOutputs | undefined,
  news: TenantFleetInputs,
): Promise<TenantFleetOutputs> {
  const session = await openSession(context, credentialsOf(news));
  const scripts: Record<string, TenantState> = { ...tenantStatesOf(olds?.scripts) };
  const plan = planFromState(scripts, news, context.caches);
  const effective = effectiveSpecs(news, context.caches);
  // Tenants serving the same directory read it once.
  const uploads = await uploadTenants(
    session,
    news.namespace,
    plan,
    effective,
    news,
    scripts,
    tenantEditsOf(unwrapSecret(news.__edits)),
    news.importFrom !== undefined,
    new AssetReads(),
  );
  for (const [name, state] of uploads.done) {
    // An updated tenant keeps its hostnames; the hostname step below sets them when they change.
    const { hostnamesHash, hostnames } = scripts[name] ?? {};
    scripts[name] = { ...state, ...(hostnamesHash ? { hostnamesHash } : {}), ...(hostnames ? { hostnames } : {}) };
  }
  // After the uploads (a domain reaches a tenant that exists), before the deletes (nothing reaches a deleted one).
  const zones = { before: olds?.zoneId, now: news.zoneId };
  const hostnameFailures = await applyFleetHostnames(session, scripts, plan, effective, zones, parallelism(session));
  const lastTenants = Object.keys(effective).length === 0;
  const removable = plan.remove.filter((name) => !hostnameFailures.has(name)); // its script stays until its domains are gone
  const deletes = await deleteTenants(session, news.namespace, removable, lastTenants, parallelism(session));
  for (const name of [...deletes.done.keys(), ...plan.release]) delete scripts[name];

  const { apiToken, apiKey, email } = credentialsOf(news);
  const outs: TenantFleetOutputs = { namespace: news.namespace, accountId: session.accountId, scripts: storedTenantStates(scripts) };
  if (news.namespaceId !== undefined) outs.namespaceId = news.namespaceId;
  withHostnameOutputs(outs, scripts, news.zoneId ?? olds?.zoneId);
  Object.assign(outs, Object.fromEntries(Object.entries({ apiToken, apiKey, email }).filter(([, v]) => v !== undefined)));
  const failed = [
    ...uploads.failed,
    ...[...hostnameFailures].map(([name, reason]): [string, string] => [name, `hostnames: ${reason}`]),
    ...deletes.failed,
  ];
  if (failed.length > 0) {
    const reasons = failureLines(failed);
    const done = uploads.done.size + deletes.done.size;
    const message = `${failed.length} of ${done + failed.length} tenant changes failed (the ${done} that succeeded are kept; the next up retries the rest): ${reasons.slice(0, 3).join("; ")}${reasons.length > 3 ? `; and ${reasons.length - 3} more lines` : ""}`;
    throw initializationError(id, outs, reasons, message);
  }
  return outs;
}

/** The zone and the hostnames' status summary, while any tenant has hostnames. */
function withHostnameOutputs(outs: TenantFleetOutputs, scripts: Record<string, TenantState>, zoneId: string | undefined): void {
  const summary = hostnameStatusSummary(scripts);
  if (summary === undefined) return;
  if (zoneId !== undefined) outs.zoneId = zoneId;
  outs.hostnameStatuses = summary;
}

/**
 * Creates and updates, each tenant as one script upload (../workers/upload.ts); for a create, a
 * script already in the namespace is adopted when it is exactly this tenant (../workers/adopt.ts);
 * an update whose change check found only tags and secrets carry gets those calls instead
 * (fleet/tenant-edits.ts), or the upload when Cloudflare refuses them.
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
  planned: Record<string, TenantEdits>,
  explicitImport: boolean,
  assetReads: AssetReads,
) {
  const { caches } = session.context;
  const existing = plan.create.length > 0 ? await existingScripts(session, namespace) : new Map<string, NamespacedScript>();
  const listed = uploadedAsDeclared(
    Object.fromEntries(
      plan.create.map((name) => [
        name,
        { print: plan.fingerprints[name], code: contentHashOf(effective[name], built.contentHashes, caches) },
      ]),
    ),
    existing,
  );
  const calls = new Map<string, ScriptEdits>();
  for (const name of plan.update) {
    const edits = tenantEditsFor(planned[name], previous[name], effective[name], built, plan.fingerprints[name], caches);
    if (edits) calls.set(name, edits);
  }
  const edited = await editTenants(session, namespace, calls, previous, plan.fingerprints, parallelism(session));
  const names = [...plan.create.filter((name) => !listed.has(name)), ...plan.update.filter((name) => !calls.has(name)), ...edited.refused];
  const progress = startProgress(session.context.policy, namespace, "uploaded", names.length);
  const upload = async (name: string): Promise<TenantState> => {
    const spec = effective[name];
    const address = { namespace, scriptName: name };
    const bundle = await buildCode(caches.code, spec); // memoized per entrypoint; inline text is hashed, not bundled
    const key = codeKey(spec);
    const hashes = { ...built, contentHashes: { ...built.contentHashes, ...(key ? { [key]: bundle.contentHash } : {}) } };
    const found = existing.get(name);
    const listed = found?.script?.etag ? { ...found.script, modified_on: found.modified_on ?? found.script.modified_on } : undefined;
    const adopted = listed && (await alreadyAsDeclared(session, address, spec, bundle, { explicitImport, script: listed }));
    if (adopted) return stateOf(caches, spec, hashes, adopted);
    const old = previous[name];
    // A script re-uploaded outside Pulumi may have lost its assets: they are sent again.
    const keptAssetsHash = old?.drifted ? undefined : old?.assetsHash;
    const tagged = { ...spec, tags: tagsWithFleetTags(spec, fingerprint(spec, hashes, caches)) };
    const uploaded = await uploadWorker(session, address, tagged, { bundle, appliedTag: old?.migrationTag, keptAssetsHash, assetReads });
    return stateOf(
      caches,
      spec,
      { ...hashes, assetsHashes: { ...hashes.assetsHashes, ...assetsHashEntry(spec, uploaded.assetsHash) } },
      uploaded.script,
      uploaded.assetsHash,
    );
  };
  const outcomes = await forEachTenant(names, parallelism(session), progress.counted(upload)).finally(() => progress.stop());
  for (const [name, state] of edited.done) outcomes.done.set(name, state);
  for (const [name, reason] of edited.failed) outcomes.failed.set(name, reason);
  for (const [name, script] of listed) {
    const spec = effective[name];
    outcomes.done.set(
      name,
      stateOf(
        caches,
        spec,
        built,
        script,
        spec.assets !== undefined && script.has_assets ? assetsHashOf(spec, built.assetsHashes) : undefined,
      ),
    );
  }
  return outcomes;
}

/** A tenant's state after an upload or adoption: its fingerprint and what Cloudflare answered. */
function stateOf(caches: ProviderCaches, spec: TenantSpec, hashes: FleetSpecs, script: ScriptInfo, assetsHash?: string): TenantState {
  const state: TenantState = {
    specHash: fingerprint(spec, hashes, caches)!,
    etag: script.etag ?? "",
    modifiedOn: script.modified_on ?? "",
  };
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
async function read(context: ProviderContext, id: string, props: TenantFleetOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(context, credentialsOf(props));
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
  // A hostname deleted outside Pulumi is created again by the next up; a status change is only news.
  outside = (await refreshFleetHostnames(session, scripts, props.zoneId)) || outside;
  const { zoneId: _z, hostnameStatuses: _h, ...rest } = props;
  const outs: TenantFleetOutputs = { ...rest, scripts: storedTenantStates(scripts) };
  withHostnameOutputs(outs, scripts, props.zoneId);
  return outside ? { id, props: outs, inputs: refreshedInputs(outs) } : { id, props: outs };
}

/** What `get` reads: the namespace with every script in it as a tenant (no fingerprint: the fleet never uploaded them). */
function existingFleet(namespace: string, accountId: string, now: Map<string, NamespacedScript>): TenantFleetOutputs {
  const scripts: Record<string, TenantState> = {};
  for (const [name, found] of now)
    scripts[name] = { specHash: "", etag: found.script?.etag ?? "", modifiedOn: found.modified_on ?? found.script?.modified_on ?? "" };
  return { namespace, accountId, scripts: storedTenantStates(scripts) };
}

/** The inputs after a refresh that found changes outside Pulumi: location, credentials, and the states, secret as `scripts` is. */
function refreshedInputs(outs: TenantFleetOutputs): Record<string, unknown> {
  const { namespace, namespaceId, accountId, apiToken, apiKey, email, zoneId } = outs;
  const kept = Object.entries({ namespace, namespaceId, accountId, apiToken, apiKey, email, zoneId }).filter(([, v]) => v !== undefined);
  return { ...Object.fromEntries(kept), __refreshed: asSecret(outs.scripts) };
}

/** Every tenant's script, idempotently (a missing one is already deleted); failures keep the fleet in state. */
async function remove(context: ProviderContext, _id: string, props: TenantFleetOutputs): Promise<void> {
  const session = await openSession(context, credentialsOf(props));
  const states = tenantStatesOf(props.scripts);
  const names = Object.keys(states);
  // The domains first: nothing may send a customer to a deleted tenant.
  const hostnameFailures = await removeFleetHostnames(session, states, props.zoneId, parallelism(session));
  if (hostnameFailures.size > 0) {
    const [name, reason] = [...hostnameFailures][0];
    throw new Error(
      `deleting the hostnames of ${hostnameFailures.size} tenants failed (run destroy again: deleted ones are skipped; no script was deleted): tenant '${name}': ${reason}`,
    );
  }
  const outcome = await deleteTenants(session, props.namespace, names, true, parallelism(session));
  if (outcome.failed.size > 0) {
    const [name, reason] = [...outcome.failed][0];
    throw new Error(
      `deleting ${outcome.failed.size} of ${names.length} tenant scripts failed (run destroy again: deleted ones are skipped): tenant '${name}': ${reason}`,
    );
  }
}

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function tenantFleetResource(context: ProviderContext): ResourceMethods {
  return inContext(context, { check, diff: (id, olds, news) => diff(context, id, olds, news), create, read, update, remove });
}
