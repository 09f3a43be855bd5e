/**
 * DispatchNamespace: a Workers for Platforms dispatch namespace.
 *
 * - create: POST; a duplicate name fails clearly unless `adopt` (or the sdk's `import` option) takes it over,
 *           or unless it is our own: an earlier attempt of this same POST lost its answer (connection
 *           error, timeout, 5xx) and the namespace found was created after that attempt left.
 * - update: rename and trusted-workers mode in place, with one PUT (the SDK has no method for it).
 * - read:   by name; a namespace renamed outside Pulumi is found again by its id, so refresh shows the drift.
 * - delete: idempotent; already gone is success.
 */
import type * as pulumi from "@pulumi/pulumi";
import { objectKey } from "../cloudflare/consistency";
import * as namespaces from "../cloudflare/endpoints/dispatch-namespaces";
import type { Namespace } from "../cloudflare/endpoints/dispatch-namespaces";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { describeFailure, isAlreadyExists, isNotFound } from "../cloudflare/errors";
import { namespaceNameProblem } from "../cloudflare/names";
import { CallRecord, withCallRecord } from "../cloudflare/request-policy";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { Failures, isNew } from "../framework/check";
import { isUnknown } from "../framework/unknowns";

/** The provider-side inputs, after the sdk resolved every Input. */
export interface DispatchNamespaceInputs extends CredentialInputs {
  namespace: string;
  adopt?: boolean;
  trustedWorkers?: boolean;
  /** Set by the sdk when the user gave the `import` resource option: the namespace must already exist. */
  importFrom?: string;
}

/** What state keeps: the inputs needed for the next diff, plus what Cloudflare reports. */
export interface DispatchNamespaceOutputs extends DispatchNamespaceInputs {
  accountId: string;
  namespaceId: string;
  scriptCount: number;
  trustedWorkers: boolean;
  createdOn: string;
  modifiedOn: string;
  /** True when this resource took over a namespace that already existed instead of creating it. */
  adopted: boolean;
}

function toOutputs(inputs: DispatchNamespaceInputs, accountId: string, ns: Namespace, adopted: boolean): DispatchNamespaceOutputs {
  const outputs: DispatchNamespaceOutputs = {
    ...inputs,
    accountId,
    namespace: ns.namespace_name ?? inputs.namespace,
    namespaceId: ns.namespace_id ?? "",
    scriptCount: ns.script_count ?? 0,
    trustedWorkers: ns.trusted_workers ?? false,
    createdOn: ns.created_on ?? "",
    modifiedOn: ns.modified_on ?? "",
    adopted,
  };
  delete outputs.importFrom; // a one-time instruction, not something to diff against later
  return outputs;
}

async function getNamespace(session: Session, name: string): Promise<Namespace | undefined> {
  try {
    return await namespaces.get(session, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading dispatch namespace '${name}'`, error);
  }
}

/** Finds a namespace by its immutable id, e.g. after it was renamed outside Pulumi. */
async function findNamespaceById(session: Session, namespaceId: string): Promise<Namespace | undefined> {
  try {
    for await (const ns of namespaces.list(session)) {
      if (ns.namespace_id === namespaceId) return ns;
    }
    return undefined;
  } catch (error) {
    throw describeFailure("listing dispatch namespaces", error);
  }
}

/** PUT replaces name and mode together (the SDK has no method for it). */
async function putNamespace(session: Session, currentName: string, body: { name: string; trusted_workers?: boolean }): Promise<Namespace> {
  try {
    return await namespaces.put(session, currentName, body);
  } catch (error) {
    const hint = isAlreadyExists(error) ? `another namespace is already named '${body.name}'` : undefined;
    throw describeFailure(`updating dispatch namespace '${currentName}'`, error, hint);
  }
}

/** A namespace_id: "API Resource UUID tag" in Cloudflare's API schema. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cloudflare's clock and ours may disagree by this much when comparing a creation time to our attempt. */
const CLOCK_SKEW_MS = 120_000;

/**
 * The namespace a retried create was told "already exists" about, when the evidence says our own
 * earlier attempt created it: that attempt may have been applied (its answer was lost), and the
 * namespace was created after it left. Anything else is someone else's and is not taken.
 */
async function ownEarlierAttempt(session: Session, name: string, attempts: CallRecord): Promise<Namespace | undefined> {
  const sentAt = attempts.firstSentAt;
  if (!attempts.mayHaveApplied || sentAt === undefined) return undefined;
  let ns: Namespace | undefined;
  try {
    // Just created: reads may not see it yet.
    const visible = async () => (await getNamespace(session, name)) ?? Promise.reject(new NamespaceNotVisible());
    ns = await session.context.visibility.retryWhileInvisible(visible, (e) => e instanceof NamespaceNotVisible);
  } catch (error) {
    if (!(error instanceof NamespaceNotVisible)) throw error;
    return undefined;
  }
  return Date.parse(ns.created_on ?? "") >= sentAt - CLOCK_SKEW_MS ? ns : undefined;
}

class NamespaceNotVisible extends Error {}

async function check(
  context: ProviderContext,
  olds: Partial<DispatchNamespaceInputs>,
  news: DispatchNamespaceInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const name = failures.requireString(news, "namespace");
  if (name !== undefined) {
    const problem = namespaceNameProblem(name);
    if (problem) failures.add("namespace", `namespace ${problem}`);
  }
  failures.optionalBoolean(news, "adopt");
  failures.optionalBoolean(news, "trustedWorkers");
  failures.optionalString(news, "importFrom");
  if (news.importFrom !== undefined && name !== undefined && !isUnknown(news.importFrom) && news.importFrom !== name) {
    failures.add("namespace", `the import id '${news.importFrom}' names a different namespace than namespace '${name}'`);
  }
  if (failures.any) return { failures: failures.list };

  const accountId = await checkConnection(context, credentialsOf(news), failures);
  // The import option on a resource not yet in state: the namespace must exist, said at preview.
  if (accountId && news.importFrom !== undefined && !isUnknown(news.importFrom) && isNew(olds)) {
    if (!(await getNamespace(await openSession(context, credentialsOf(news)), news.importFrom))) {
      failures.add(
        "import",
        `the import option names dispatch namespace '${news.importFrom}', which does not exist in account ${accountId} (remove the option to create it, or fix the name)`,
      );
    }
  }
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

async function diff(_id: string, olds: DispatchNamespaceOutputs, news: DispatchNamespaceInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = [];
  const changed: string[] = [];
  const differs = (a: unknown, b: unknown) => isUnknown(b) || a !== b;

  if (news.accountId !== undefined && differs(olds.accountId, news.accountId)) replaces.push("accountId");
  if (differs(olds.namespace, news.namespace)) changed.push("namespace");
  if (news.trustedWorkers !== undefined && differs(olds.trustedWorkers, news.trustedWorkers)) changed.push("trustedWorkers");
  // Credentials given as inputs are kept in (encrypted) state for refresh and delete: keep them current.
  for (const key of ["apiToken", "apiKey", "email"] as const) {
    if (differs(olds[key], news[key])) changed.push(key);
  }
  if (differs(olds.adopt, news.adopt)) changed.push("adopt");
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false };
}

async function create(context: ProviderContext, inputs: DispatchNamespaceInputs): Promise<pulumi.dynamic.CreateResult> {
  const session = await openSession(context, credentialsOf(inputs));
  const name = inputs.namespace;
  const adopt = async (): Promise<pulumi.dynamic.CreateResult> => {
    let ns = await getNamespace(session, name);
    if (!ns) {
      throw new Error(
        `importing dispatch namespace '${name}': no such namespace in account ${session.accountId} ` +
          "(remove the import option to create it, or fix the name)",
      );
    }
    if (inputs.trustedWorkers !== undefined && ns.trusted_workers !== inputs.trustedWorkers) {
      ns = await putNamespace(session, name, { name, trusted_workers: inputs.trustedWorkers });
    }
    return { id: ns.namespace_id!, outs: toOutputs(inputs, session.accountId, ns, true) };
  };

  if (inputs.importFrom !== undefined) return adopt();

  let ns: Namespace;
  const attempts = new CallRecord();
  try {
    ns = await withCallRecord(attempts, () => namespaces.create(session, name));
  } catch (error) {
    const own = isAlreadyExists(error) ? await ownEarlierAttempt(session, name, attempts) : undefined;
    if (own) ns = own;
    else if (isAlreadyExists(error) && inputs.adopt) return adopt();
    else {
      const hint = isAlreadyExists(error)
        ? "set adopt: true to manage the existing namespace, or bring it in with the import resource option"
        : undefined;
      throw describeFailure(`creating dispatch namespace '${name}'`, error, hint);
    }
  }
  session.context.visibility.noteCreated(objectKey("namespace", session.accountId, name)); // uploads into it may meet a stale "not found"
  // Creation takes only a name; trusted mode is a second call, made only when asked for.
  if (inputs.trustedWorkers && !ns.trusted_workers) {
    ns = await putNamespace(session, name, { name, trusted_workers: true });
  }
  return { id: ns.namespace_id!, outs: toOutputs(inputs, session.accountId, ns, false) };
}

async function read(context: ProviderContext, id: string, props: DispatchNamespaceOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(context, credentialsOf(props));
  // The id is the namespace_id, managed or read with `DispatchNamespace.get` (which once took the name: still found by it).
  const knownId = props.namespaceId ?? (UUID.test(id) ? id : undefined);
  const name = props.namespace ?? (knownId ? undefined : id);
  let ns = name === undefined ? undefined : await getNamespace(session, name);
  if (ns && knownId && ns.namespace_id !== knownId) ns = undefined; // same name, another namespace
  if (!ns && knownId) ns = await findNamespaceById(session, knownId);
  if (!ns) return {}; // gone: the engine drops it from state

  const outs = toOutputs({ ...props, namespace: ns.namespace_name ?? name ?? "" }, session.accountId, ns, props.adopted ?? false);
  const inputs: DispatchNamespaceInputs = { namespace: outs.namespace, accountId: outs.accountId };
  for (const key of ["apiToken", "apiKey", "email", "adopt"] as const) {
    if (props[key] !== undefined) (inputs as unknown as Record<string, unknown>)[key] = props[key];
  }
  if (outs.trustedWorkers) inputs.trustedWorkers = true;
  return { id: ns.namespace_id ?? id, props: outs, inputs };
}

async function update(
  context: ProviderContext,
  _id: string,
  olds: DispatchNamespaceOutputs,
  news: DispatchNamespaceInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  const renamed = olds.namespace !== news.namespace;
  const modeChanged = news.trustedWorkers !== undefined && news.trustedWorkers !== olds.trustedWorkers;
  const carried = { ...olds, ...news } as DispatchNamespaceInputs;
  if (!renamed && !modeChanged) {
    // Only bookkeeping inputs changed (credentials, adopt): nothing to send to Cloudflare.
    const { namespaceId, scriptCount, trustedWorkers, createdOn, modifiedOn, adopted } = olds;
    return { outs: { ...carried, accountId: olds.accountId, namespaceId, scriptCount, trustedWorkers, createdOn, modifiedOn, adopted } };
  }
  const session = await openSession(context, credentialsOf(news));
  // PUT replaces the whole namespace: always send the mode, or a rename would reset it.
  const body = { name: news.namespace, trusted_workers: news.trustedWorkers ?? olds.trustedWorkers };
  const ns = await putNamespace(session, olds.namespace, body);
  if (renamed) session.context.visibility.noteCreated(objectKey("namespace", session.accountId, news.namespace));
  return { outs: toOutputs(carried, session.accountId, ns, olds.adopted ?? false) };
}

async function remove(context: ProviderContext, _id: string, props: DispatchNamespaceOutputs): Promise<void> {
  const session = await openSession(context, credentialsOf(props));
  const deleteByName = async (name: string): Promise<boolean> => {
    try {
      await namespaces.remove(session, name);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw describeFailure(`deleting dispatch namespace '${name}'`, error);
    }
  };
  if (await deleteByName(props.namespace)) return;
  // Not under its recorded name: it may have been renamed outside Pulumi; delete it by id, else it is gone.
  const renamed = props.namespaceId ? await findNamespaceById(session, props.namespaceId) : undefined;
  if (renamed?.namespace_name) await deleteByName(renamed.namespace_name);
}

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function dispatchNamespaceResource(context: ProviderContext): ResourceMethods {
  return inContext(context, { check, diff, create, read, update, remove });
}
