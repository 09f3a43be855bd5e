/**
 * NamespacedWorkerScript: a tenant ("user") Worker uploaded into a dispatch namespace.
 *
 * - check:  validates every input against Cloudflare's rules and builds the code, so the content
 *           hash (what `diff` compares) is known at preview.
 * - create/update: one multipart PUT with code, bindings, compatibility, tags and limits.
 * - diff:   namespace or name → replace; code, configuration or bindings → update in place.
 * - read:   one GET; a different etag means the code was re-uploaded outside Pulumi (the next `up`
 *           restores it); a different modified_on triggers one settings GET to find what changed.
 * - delete: idempotent; a missing script or namespace is already deleted.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CredentialInputs } from "../cloudflare/credentials";
import { namespaceNameProblem, scriptNameProblem } from "../cloudflare/names";
import { checkConnection, openSession } from "../cloudflare/session";
import { Failures } from "../framework/check";
import { isUnknown } from "../framework/unknowns";
import { bindingProblems, duplicateBindingNames, fromReportedBindings, keepBindingsProblems } from "../workers/bindings";
import { BundleError } from "../workers/bundle";
import { buildCode } from "../workers/code";
import { WorkerConfigInputs, configProblems, workerMetadata } from "../workers/config";
import { BOOKKEEPING_KEYS, UPLOAD_KEYS, changedKeys } from "../workers/script-diff";
import {
  NamespacedScript,
  ScriptAddress,
  ScriptSettings,
  deleteScript,
  describeAddress,
  getScript,
  getScriptSettings,
  uploadScript,
} from "../workers/script-api";

export interface NamespacedWorkerScriptInputs extends CredentialInputs, WorkerConfigInputs {
  /** The dispatch namespace's name. */
  namespace: string;
  /** The script's name in the namespace (what `env.DISPATCHER.get(name)` takes). */
  scriptName: string;
  /** An inline ES-module script; exclusive with `entrypoint`. */
  content?: string;
  /** A file bundled with esbuild, relative to the Pulumi project; exclusive with `content`. */
  entrypoint?: string;
  /** sha256 of the code modules, set by `check`. */
  contentHash?: string;
  /** Set by the sdk for the `import` option: "<namespace>/<script>", which must already exist. */
  importFrom?: string;
}

export interface NamespacedWorkerScriptOutputs extends Omit<NamespacedWorkerScriptInputs, "content" | "importFrom"> {
  accountId: string;
  contentHash: string;
  /** Cloudflare's hash of the uploaded content; refresh compares it to spot outside re-uploads. */
  etag: string;
  createdOn: string;
  modifiedOn: string;
  /** The event handlers the script exports, e.g. ["fetch"]. */
  handlers: string[];
  tags: string[];
  /** Configuration taken over from Cloudflare at import because the program left it undeclared. */
  inherited?: string[];
}

type Inputs = NamespacedWorkerScriptInputs;
type Outputs = NamespacedWorkerScriptOutputs;

/** Configuration an import takes over when the program does not declare it. */
const INHERITABLE_KEYS = ["compatibilityDate", "compatibilityFlags", "bindings", "secretBindings", "tags", "limits", "usageModel", "placement", "observability", "logpush"] as const;

/** Cloudflare's upload size limit (paid plan); larger uploads are refused with 10027. */
const MAX_SCRIPT_BYTES = 10 * 1024 * 1024;

/** Marks state whose code was re-uploaded outside Pulumi, so the next diff re-uploads it. */
const OUT_OF_BAND = "changed outside Pulumi";

function credentialsOf(props: CredentialInputs): CredentialInputs {
  return { apiToken: props.apiToken, apiKey: props.apiKey, email: props.email, accountId: props.accountId };
}

function addressOf(props: { namespace: string; scriptName: string }): ScriptAddress {
  return { namespace: props.namespace, scriptName: props.scriptName };
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function check(olds: Partial<Inputs>, given: Inputs): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const news = withoutNulls(given);
  const raw = news as unknown as Record<string, unknown>;
  const namespace = failures.requireString(raw, "namespace");
  if (namespace !== undefined) {
    const problem = namespaceNameProblem(namespace);
    if (problem) failures.add("namespace", `namespace ${problem}`);
  }
  const scriptName = failures.requireString(raw, "scriptName");
  if (scriptName !== undefined) {
    const problem = scriptNameProblem(scriptName);
    if (problem) failures.add("name", `name ${problem}`);
  }
  const hasContent = news.content !== undefined;
  const hasEntrypoint = news.entrypoint !== undefined;
  if (hasContent === hasEntrypoint) {
    failures.add(hasContent ? "entrypoint" : "content", "give exactly one of content (an inline ES module) or entrypoint (a file to bundle)");
  }
  if (hasContent) failures.optionalString(raw, "content");
  if (hasEntrypoint) failures.optionalString(raw, "entrypoint");
  for (const p of configProblems(raw, isUnknown, todayUtc())) failures.add(p.property, p.reason);
  for (const p of bindingProblems("bindings", news.bindings, isUnknown)) failures.add(p.property, p.reason);
  for (const p of bindingProblems("secretBindings", news.secretBindings, isUnknown)) failures.add(p.property, p.reason);
  for (const p of keepBindingsProblems(news.keepBindings, isUnknown)) failures.add(p.property, p.reason);
  for (const name of duplicateBindingNames(news.bindings, news.secretBindings)) {
    failures.add("bindings", `binding name '${name}' is used twice (once as a secret): binding names must be unique`);
  }
  if (news.importFrom !== undefined && !isUnknown(news.importFrom) && namespace && scriptName && news.importFrom !== `${namespace}/${scriptName}`) {
    failures.add("name", `the import id '${news.importFrom}' must be '<namespace>/<name>' of this script: '${namespace}/${scriptName}'`);
  }
  if (failures.any) return { failures: failures.list };

  const accountId = await checkConnection(credentialsOf(news), failures);
  let contentHash: string | undefined;
  const codeKnown = hasContent ? !isUnknown(news.content) : !isUnknown(news.entrypoint) && !isUnknown(news.compatibilityFlags);
  if (codeKnown) {
    try {
      const bundle = await buildCode(news);
      const size = bundle.modules.reduce((sum, m) => sum + m.content.byteLength, 0);
      if (size > MAX_SCRIPT_BYTES) {
        failures.add(hasContent ? "content" : "entrypoint", `the worker's modules total ${size} bytes; Cloudflare accepts at most ${MAX_SCRIPT_BYTES} (10 MiB)`);
      }
      contentHash = bundle.contentHash;
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      failures.add(error.property, error.message);
    }
  }
  if (failures.any) return { failures: failures.list };
  const inputs: Inputs = { ...news };
  if (accountId) inputs.accountId = accountId;
  if (contentHash) inputs.contentHash = contentHash;
  else delete inputs.contentHash; // unknown until the code is: diff reports it as changing
  return { inputs };
}

export async function diff(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = changedKeys(["namespace", "scriptName"], olds, news);
  if (news.accountId !== undefined && changedKeys(["accountId"], olds, news).length > 0) replaces.push("accountId");
  const uploads = changedKeys(UPLOAD_KEYS, olds, withInherited(olds, news));
  const bookkeeping = changedKeys(BOOKKEEPING_KEYS, olds, news);
  if (news.contentHash === undefined) uploads.push("contentHash"); // code computed by another resource
  return { changes: replaces.length + uploads.length + bookkeeping.length > 0, replaces, deleteBeforeReplace: false };
}

/** An empty secret arrives as null: absent, like any other null input. */
function withoutNulls(inputs: Inputs): Inputs {
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== null)) as unknown as Inputs;
}

/** Undeclared configuration that an import took over stays as Cloudflare had it. */
function withInherited(olds: Outputs, news: Inputs): Inputs {
  const effective = { ...news } as Record<string, unknown>;
  for (const key of olds.inherited ?? []) {
    if (effective[key] === undefined) effective[key] = (olds as unknown as Record<string, unknown>)[key];
  }
  return effective as unknown as Inputs;
}

async function upload(inputs: Inputs, keepSecrets: boolean) {
  const session = await openSession(credentialsOf(inputs));
  const bundle = await buildCode(inputs);
  const metadata = workerMetadata(inputs, bundle);
  if (keepSecrets) metadata.keep_bindings = [...new Set([...(metadata.keep_bindings ?? []), "secret_text" as const, "secret_key" as const])];
  const result = await uploadScript(session, addressOf(inputs), metadata, bundle);
  return { session, bundle, result };
}

function toOutputs(inputs: Inputs, accountId: string, contentHash: string, script: NamespacedScriptLike, inherited?: string[]): Outputs {
  const { content: _content, importFrom: _importFrom, ...kept } = inputs;
  const outputs: Outputs = {
    ...kept,
    accountId,
    contentHash,
    etag: script.etag ?? "",
    createdOn: script.created_on ?? "",
    modifiedOn: script.modified_on ?? "",
    handlers: script.handlers ?? [],
    tags: script.tags ?? inputs.tags ?? [],
  };
  if (inherited && inherited.length > 0) outputs.inherited = inherited;
  return outputs;
}

/** The fields both the upload response and GET script's `script` carry. */
interface NamespacedScriptLike {
  etag?: string;
  created_on?: string;
  modified_on?: string;
  handlers?: string[];
  tags?: string[] | null;
}

function scriptOf(script: NamespacedScript): NamespacedScriptLike {
  const inner = script.script ?? {};
  return {
    etag: inner.etag,
    created_on: script.created_on ?? inner.created_on,
    modified_on: script.modified_on ?? inner.modified_on,
    handlers: inner.handlers,
    tags: inner.tags,
  };
}

export async function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
  const address = addressOf(inputs);
  let effective = inputs;
  let inherited: string[] | undefined;
  if (inputs.importFrom !== undefined) {
    ({ effective, inherited } = await takeOver(inputs));
  }
  const { session, bundle, result } = await upload(effective, (inherited ?? []).includes("secretBindings"));
  const outs = toOutputs(effective, session.accountId, bundle.contentHash, { ...result, tags: result.tags ?? undefined }, inherited);
  return { id: `${address.namespace}/${address.scriptName}`, outs };
}

/** Import: the script must exist; configuration the program leaves undeclared is kept as Cloudflare has it. */
async function takeOver(inputs: Inputs): Promise<{ effective: Inputs; inherited: string[] }> {
  const session = await openSession(credentialsOf(inputs));
  const address = addressOf(inputs);
  const settings = await getScriptSettings(session, address);
  if (!settings) {
    throw new Error(`importing ${describeAddress(address)}: no such script in account ${session.accountId} (remove the import option to create it, or fix the namespace and name)`);
  }
  const reported = reportedConfig(settings, undefined);
  const effective = { ...inputs } as Record<string, unknown>;
  const inherited: string[] = [];
  for (const key of INHERITABLE_KEYS) {
    const value = (reported as Record<string, unknown>)[key];
    // The compatibility date is kept even if Cloudflare's default: an upload without one would reset it.
    if (effective[key] === undefined && value !== undefined && !isEmpty(value) && (key === "compatibilityDate" || !isDefault(key, value))) {
      effective[key] = value;
      inherited.push(key);
    }
  }
  return { effective: effective as unknown as Inputs, inherited };
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value && typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** Cloudflare's settings in the shape of this resource's inputs (secret values: as state knows them). */
function reportedConfig(settings: ScriptSettings, knownSecrets: Inputs["secretBindings"]): WorkerConfigInputs {
  const { bindings, secretBindings } = fromReportedBindings(
    (settings.bindings ?? []) as unknown as Array<{ name: string; type: string }>,
    knownSecrets,
  );
  const config: WorkerConfigInputs = {
    compatibilityDate: settings.compatibility_date,
    compatibilityFlags: settings.compatibility_flags,
    bindings,
    secretBindings,
    tags: settings.tags ?? [],
    usageModel: settings.usage_model,
    logpush: settings.logpush,
  };
  if (settings.limits) config.limits = { cpuMs: settings.limits.cpu_ms, subrequests: settings.limits.subrequests };
  if (settings.placement) config.placement = settings.placement as WorkerConfigInputs["placement"];
  if (settings.observability) config.observability = settings.observability as WorkerConfigInputs["observability"];
  return config;
}

export async function read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(credentialsOf(props));
  const address = addressOf(props);
  const found = await getScript(session, address);
  if (!found) return {}; // deleted outside Pulumi (or its namespace was): the engine drops it

  const script = scriptOf(found);
  const observed: Outputs = { ...props, etag: script.etag ?? props.etag, modifiedOn: script.modified_on ?? props.modifiedOn, tags: script.tags ?? [] };
  if (props.etag && script.etag && script.etag !== props.etag) observed.contentHash = `${OUT_OF_BAND} (etag ${script.etag})`;
  if (script.modified_on !== props.modifiedOn) {
    // Something changed since our last upload; the settings say what (one more GET, only then).
    const settings = await getScriptSettings(session, address);
    if (!settings) return {};
    const reported = reportedConfig(settings, props.secretBindings) as Record<string, unknown>;
    for (const key of INHERITABLE_KEYS) {
      const declared = (props as unknown as Record<string, unknown>)[key];
      const now = reported[key];
      if (declared !== undefined || (now !== undefined && !isEmpty(now) && !isDefault(key, now))) {
        (observed as unknown as Record<string, unknown>)[key] = now;
      }
    }
  }
  const { etag: _e, createdOn: _c, modifiedOn: _m, handlers: _h, inherited: _i, ...inputs } = observed;
  return { id, props: observed, inputs };
}

/** Values Cloudflare reports for a script that never set them. */
function isDefault(key: string, value: unknown): boolean {
  return (key === "usageModel" && value === "standard") || (key === "logpush" && value === false) || key === "compatibilityDate";
}

export async function update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
  const effective = withInherited(olds, news);
  const needsUpload = changedKeys(UPLOAD_KEYS, olds, effective).length > 0 || effective.contentHash === undefined;
  if (!needsUpload) {
    const { content: _content, importFrom: _importFrom, ...kept } = effective;
    return { outs: { ...olds, ...kept } };
  }
  const { session, bundle, result } = await upload(effective, (olds.inherited ?? []).includes("secretBindings") && effective.secretBindings === olds.secretBindings);
  return { outs: toOutputs(effective, session.accountId, bundle.contentHash, { ...result, tags: result.tags ?? undefined }, olds.inherited) };
}

export async function remove(id: string, props: Outputs): Promise<void> {
  const session = await openSession(credentialsOf(props));
  await deleteScript(session, addressOf(props));
}

export const namespacedWorkerScriptProvider: pulumi.dynamic.ResourceProvider = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};
