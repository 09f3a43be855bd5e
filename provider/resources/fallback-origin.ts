/**
 * FallbackOrigin: where a zone sends the traffic of its custom hostnames (Cloudflare for SaaS). Custom
 * hostnames become active only once the zone has one (or their own origin server); with a Worker as
 * the origin, it is an originless record of the zone that a `*` + `/*` route covers.
 *
 * - create/update: PUT (the zone has one fallback origin; a new origin replaces it in place).
 * - read:          GET; none means removed from state.
 * - delete:        idempotent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import { checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { Failures } from "../framework/check";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { changedKeys } from "../framework/diff";
import { deleteFallbackOrigin, type FallbackOrigin, getFallbackOrigin, putFallbackOrigin } from "../cloudflare/endpoints/custom-hostnames";
import { isPlainHostname, isZoneId } from "../workers/custom-domains";

export interface FallbackOriginInputs extends CredentialInputs {
  zoneId: string;
  origin: string;
}

export interface FallbackOriginOutputs extends FallbackOriginInputs {
  accountId: string;
  /** Cloudflare's status of the origin, e.g. "pending_deployment", "active". */
  status: string;
  /** What keeps the origin from being active, if anything. */
  errors: string[];
}

async function check(
  context: ProviderContext,
  _olds: Partial<FallbackOriginInputs>,
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
  if (failures.any) return { failures: failures.list };
  const accountId = await checkConnection(context, credentialsOf(news), failures);
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

function toOutputs(inputs: FallbackOriginInputs, accountId: string, answer: FallbackOrigin): FallbackOriginOutputs {
  return {
    ...inputs,
    accountId,
    origin: answer.origin ?? inputs.origin,
    status: answer.status ?? "initializing",
    errors: answer.errors ?? [],
  };
}

async function diff(_id: string, olds: FallbackOriginOutputs, news: FallbackOriginInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = changedKeys(["zoneId", ...(news.accountId !== undefined ? ["accountId"] : [])], olds, news);
  const changed = changedKeys(["origin", "apiToken", "apiKey", "email"], olds, news);
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
