/**
 * KVNamespace: a Workers KV namespace (examples/multi-tenant keeps tenant metadata in one).
 *
 * - create: POST; a duplicate title fails clearly unless `adopt` (or the sdk's `import` option, by id) takes it over.
 * - update: a new title is a rename in place (PUT); the id, and so every binding to it, stays.
 * - read:   by id; gone means removed from state; a rename outside Pulumi shows as drift.
 * - delete: idempotent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import * as kv from "../cloudflare/endpoints/kv-namespaces";
import type { Namespace } from "../cloudflare/endpoints/kv-namespaces";
import { describeFailure, hasErrorCode, isNotFound } from "../cloudflare/errors";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { Failures, isNew } from "../framework/check";
import { isUnknown } from "../framework/unknowns";
import { changedKeys } from "../framework/diff";

export interface KVNamespaceInputs extends CredentialInputs {
  title: string;
  /** Take over a namespace with this title if one exists, instead of failing. */
  adopt?: boolean;
  /** Set by the sdk for the `import` option: the id of an existing namespace. */
  importFrom?: string;
}

export interface KVNamespaceOutputs extends Omit<KVNamespaceInputs, "importFrom"> {
  accountId: string;
  namespaceId: string;
  supportsUrlEncoding: boolean;
  adopted: boolean;
}

/** Cloudflare: "a namespace with this account ID and title already exists". */
const DUPLICATE_TITLE = 10014;
const MAX_TITLE_LENGTH = 512;

function toOutputs(inputs: KVNamespaceInputs, accountId: string, ns: Namespace, adopted: boolean): KVNamespaceOutputs {
  const { importFrom: _importFrom, ...kept } = inputs;
  return { ...kept, accountId, title: ns.title, namespaceId: ns.id, supportsUrlEncoding: ns.supports_url_encoding ?? false, adopted };
}

async function getById(session: Session, id: string): Promise<Namespace | undefined> {
  try {
    return await kv.get(session, id);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading KV namespace ${id}`, error);
  }
}

async function findByTitle(session: Session, title: string): Promise<Namespace | undefined> {
  for await (const ns of kv.list(session, 100)) {
    if (ns.title === title) return ns;
  }
  return undefined;
}

async function rename(session: Session, ns: Namespace, title: string): Promise<Namespace> {
  try {
    await kv.rename(session, ns.id, title);
    return { ...ns, title };
  } catch (error) {
    const hint = hasErrorCode(error, DUPLICATE_TITLE) ? `another KV namespace is already titled '${title}'` : undefined;
    throw describeFailure(`renaming KV namespace '${ns.title}'`, error, hint);
  }
}

async function check(
  context: ProviderContext,
  olds: Partial<KVNamespaceInputs>,
  news: KVNamespaceInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const title = failures.requireString(news, "title");
  if (title !== undefined && title.length > MAX_TITLE_LENGTH) failures.add("title", `title must be at most ${MAX_TITLE_LENGTH} characters`);
  failures.optionalBoolean(news, "adopt");
  failures.optionalString(news, "importFrom");
  if (failures.any) return { failures: failures.list };
  const accountId = await checkConnection(context, credentialsOf(news), failures);
  // The import option on a resource not yet in state: the namespace must exist, said at preview.
  if (accountId && news.importFrom !== undefined && !isUnknown(news.importFrom) && isNew(olds)) {
    if (!(await getById(await openSession(context, credentialsOf(news)), news.importFrom))) {
      failures.add(
        "import",
        `the import option names KV namespace ${news.importFrom}, which does not exist in account ${accountId} (remove the option to create it, or fix the id)`,
      );
    }
  }
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

async function diff(_id: string, olds: KVNamespaceOutputs, news: KVNamespaceInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = news.accountId !== undefined ? changedKeys(["accountId"], olds, news) : [];
  const changed = changedKeys(["title", "adopt", "apiToken", "apiKey", "email"], olds, news);
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false };
}

async function create(context: ProviderContext, inputs: KVNamespaceInputs): Promise<pulumi.dynamic.CreateResult> {
  const session = await openSession(context, credentialsOf(inputs));
  const takeOver = async (ns: Namespace | undefined, how: string): Promise<pulumi.dynamic.CreateResult> => {
    if (!ns) throw new Error(`${how}: no such KV namespace in account ${session.accountId}`);
    const current = ns.title === inputs.title ? ns : await rename(session, ns, inputs.title);
    return { id: ns.id, outs: toOutputs(inputs, session.accountId, current, true) };
  };
  if (inputs.importFrom !== undefined)
    return takeOver(await getById(session, inputs.importFrom), `importing KV namespace ${inputs.importFrom}`);
  try {
    const ns = await kv.create(session, inputs.title);
    return { id: ns.id, outs: toOutputs(inputs, session.accountId, ns, false) };
  } catch (error) {
    const duplicate = hasErrorCode(error, DUPLICATE_TITLE);
    if (duplicate && inputs.adopt) return takeOver(await findByTitle(session, inputs.title), `adopting KV namespace '${inputs.title}'`);
    const hint = duplicate
      ? "set adopt: true to manage the existing namespace, or bring it in with the import resource option (its id)"
      : undefined;
    throw describeFailure(`creating KV namespace '${inputs.title}'`, error, hint);
  }
}

async function read(context: ProviderContext, id: string, props: KVNamespaceOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(context, credentialsOf(props));
  const ns = await getById(session, props.namespaceId ?? id);
  if (!ns) return {};
  const outs = toOutputs(props, session.accountId, ns, props.adopted ?? false);
  const { namespaceId: _n, supportsUrlEncoding: _s, adopted: _a, ...inputs } = outs;
  return { id, props: outs, inputs };
}

async function update(
  context: ProviderContext,
  _id: string,
  olds: KVNamespaceOutputs,
  news: KVNamespaceInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  if (olds.title === news.title) {
    const { importFrom: _importFrom, ...kept } = news;
    return { outs: { ...olds, ...kept } };
  }
  const session = await openSession(context, credentialsOf(news));
  const ns = await rename(session, { id: olds.namespaceId, title: olds.title }, news.title);
  return {
    outs: toOutputs({ ...olds, ...news }, session.accountId, { ...ns, supports_url_encoding: olds.supportsUrlEncoding }, olds.adopted),
  };
}

async function remove(context: ProviderContext, id: string, props: KVNamespaceOutputs): Promise<void> {
  const session = await openSession(context, credentialsOf(props));
  try {
    await kv.remove(session, props.namespaceId ?? id);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`deleting KV namespace '${props.title}'`, error);
  }
}

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function kvNamespaceResource(context: ProviderContext): ResourceMethods {
  return inContext(context, { check, diff, create, read, update, remove });
}
