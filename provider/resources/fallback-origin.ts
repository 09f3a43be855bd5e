/**
 * FallbackOrigin: where a zone sends the traffic of its custom hostnames (Cloudflare for SaaS). Custom
 * hostnames become active only once the zone has one (or their own origin server); with a Worker as
 * the origin, it is an originless record of the zone that a `*` + `/*` route covers.
 *
 * - create/update: PUT (the zone has one fallback origin; a new origin replaces it in place). With the
 *                  sdk's `import` option (the zone's id), the existing origin is taken over: PUT only if
 *                  the program names another.
 * - read:          GET; none means removed from state.
 * - delete:        idempotent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { Failures, isNew } from "../framework/check";
import { isUnknown } from "../framework/unknowns";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { changedKeys } from "../framework/diff";
import { deleteFallbackOrigin, type FallbackOrigin, getFallbackOrigin, putFallbackOrigin } from "../cloudflare/endpoints/custom-hostnames";
import { isPlainHostname, isZoneId } from "../workers/custom-domains";

export interface FallbackOriginInputs extends CredentialInputs {
  zoneId: string;
  origin: string;
  /** Set by the sdk for the `import` option: the zone whose existing fallback origin this resource takes over. */
  importFrom?: string;
}

export interface FallbackOriginOutputs extends Omit<FallbackOriginInputs, "importFrom"> {
  accountId: string;
  /** Cloudflare's status of the origin, e.g. "pending_deployment", "active". */
  status: string;
  /** What keeps the origin from being active, if anything. */
  errors: string[];
}

/** The zone's fallback origin, or undefined when it has none (Cloudflare answers 404: emulator/SOURCES.md §5.10). */
async function find(session: Session, zoneId: string): Promise<FallbackOrigin | undefined> {
  try {
    return await getFallbackOrigin(session, zoneId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading the fallback origin of zone ${zoneId}`, error);
  }
}

async function check(
  context: ProviderContext,
  olds: Partial<FallbackOriginInputs>,
  news: FallbackOriginInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const raw = news as unknown as Record<string, unknown>;
  const zoneId = failures.requireString(raw, "zoneId");
  if (zoneId !== undefined && !isZoneId(zoneId)) failures.add("zoneId", "zoneId must be a zone id (32 lowercase hexadecimal characters)");
  const origin = failures.requireString(raw, "origin");
  if (origin !== undefined && !isPlainHostname(origin)) {
    failures.add(
      "origin",
      `origin must be a lowercase hostname of the zone without scheme, path or port, e.g. "fallback.platform.example.com", got ${JSON.stringify(origin)}`,
    );
  }
  failures.optionalString(raw, "importFrom");
  const importFrom = news.importFrom;
  if (importFrom !== undefined && zoneId !== undefined && !isUnknown(importFrom) && importFrom !== zoneId)
    failures.add("zoneId", `the import id '${importFrom}' names a different zone than zoneId '${zoneId}'`);
  if (failures.any) return { failures: failures.list };
  const accountId = await checkConnection(context, credentialsOf(news), failures);
  // The import option on a resource not yet in state: the zone must have a fallback origin, said at preview.
  if (accountId && importFrom !== undefined && !isUnknown(importFrom) && isNew(olds)) {
    if (!(await find(await openSession(context, credentialsOf(news)), importFrom)))
      failures.add(
        "import",
        `the import option names the fallback origin of zone ${importFrom}, which has none (remove the option to set it, or fix the id)`,
      );
  }
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

function toOutputs(inputs: FallbackOriginInputs, accountId: string, answer: FallbackOrigin): FallbackOriginOutputs {
  const { importFrom: _importFrom, ...kept } = inputs; // a one-time instruction, not something to diff against later
  return {
    ...kept,
    accountId,
    origin: answer.origin ?? inputs.origin,
    status: answer.status ?? "initializing",
    errors: answer.errors ?? [],
  };
}

/** Whether the zone's origin is to be set again: the program names another one. */
function originChanged(olds: Pick<FallbackOriginInputs, "origin">, news: FallbackOriginInputs): boolean {
  return changedKeys(["origin"], olds, news).length > 0;
}

async function diff(_id: string, olds: FallbackOriginOutputs, news: FallbackOriginInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = changedKeys(["zoneId", ...(news.accountId !== undefined ? ["accountId"] : [])], olds, news);
  const changed = [...(originChanged(olds, news) ? ["origin"] : []), ...changedKeys(["apiToken", "apiKey", "email"], olds, news)];
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false };
}

async function put(context: ProviderContext, inputs: FallbackOriginInputs): Promise<FallbackOriginOutputs> {
  const session = await openSession(context, credentialsOf(inputs));
  try {
    return toOutputs(inputs, session.accountId, await putFallbackOrigin(session, inputs.zoneId, inputs.origin));
  } catch (error) {
    throw describeFailure(
      `setting the fallback origin of zone ${inputs.zoneId} to '${inputs.origin}'`,
      error,
      "the origin must be a hostname in the zone",
    );
  }
}

async function create(context: ProviderContext, inputs: FallbackOriginInputs): Promise<pulumi.dynamic.CreateResult> {
  if (inputs.importFrom !== undefined) {
    const session = await openSession(context, credentialsOf(inputs));
    const found = await find(session, inputs.zoneId);
    if (!found) throw new Error(`importing the fallback origin of zone ${inputs.zoneId}: the zone has none`);
    // Taken over as it is when the program names the same origin; otherwise set to the program's.
    if (found.origin !== undefined && !originChanged({ origin: found.origin }, inputs))
      return { id: inputs.zoneId, outs: toOutputs(inputs, session.accountId, found) };
  }
  return { id: inputs.zoneId, outs: await put(context, inputs) };
}

async function read(context: ProviderContext, id: string, props: FallbackOriginOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(context, credentialsOf(props));
  const zoneId = props.zoneId ?? id;
  try {
    const outs = toOutputs({ ...props, zoneId }, session.accountId, await getFallbackOrigin(session, zoneId));
    const { status: _s, errors: _e, ...inputs } = outs;
    return { id, props: outs, inputs };
  } catch (error) {
    if (isNotFound(error)) return {};
    throw describeFailure(`reading the fallback origin of zone ${zoneId}`, error);
  }
}

async function update(
  context: ProviderContext,
  _id: string,
  _olds: FallbackOriginOutputs,
  news: FallbackOriginInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  return { outs: await put(context, news) };
}

async function remove(context: ProviderContext, id: string, props: FallbackOriginOutputs): Promise<void> {
  const session = await openSession(context, credentialsOf(props));
  try {
    await deleteFallbackOrigin(session, props.zoneId ?? id);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`removing the fallback origin of zone ${props.zoneId ?? id}`, error);
  }
}

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function fallbackOriginResource(context: ProviderContext): ResourceMethods {
  return inContext(context, { check, diff, create, read, update, remove });
}
