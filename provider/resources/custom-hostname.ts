/**
 * CustomHostname: a customer's domain added to the platform's zone (Cloudflare for SaaS). Requests to it
 * enter the zone once Cloudflare has verified it, and reach the zone's `*` + `/*` route (the dispatcher),
 * which reads `customMetadata` as `request.cf.hostMetadata`.
 *
 * - create: POST; the answer says what the customer must publish (ownership and certificate records).
 * - update: metadata, origin and validation method are edited in place (PATCH); a new hostname or zone
 *           is a new custom hostname.
 * - read:   by id: the verification and certificate status move as Cloudflare verifies (`pulumi refresh`);
 *           gone means removed from state; metadata edited outside Pulumi shows as drift.
 * - delete: idempotent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { describeFailure, httpStatus, isNotFound } from "../cloudflare/errors";
import { checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { Failures } from "../framework/check";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { changedKeys } from "../framework/diff";
import {
  type CustomHostname as Answer,
  createCustomHostname,
  deleteCustomHostname,
  editCustomHostname,
  getCustomHostname,
} from "../cloudflare/endpoints/custom-hostnames";
import { isZoneId } from "../workers/custom-domains";
import { type CustomHostnameSpec, createBody, customHostnameProblems, editBody } from "../hostnames/rules";

export type { CustomHostnameSsl, DcvMethod } from "../hostnames/rules";

export interface CustomHostnameInputs extends CredentialInputs, CustomHostnameSpec {
  zoneId: string;
}

/** A record the customer publishes so Cloudflare can verify they own the hostname. */
export interface OwnershipVerification {
  type: string;
  name: string;
  value: string;
}

/** What the certificate authority checks while the certificate waits for validation. */
export interface SslValidationRecord {
  txtName?: string;
  txtValue?: string;
  httpUrl?: string;
  httpBody?: string;
  emails?: string[];
}

export interface CustomHostnameOutputs extends CustomHostnameInputs {
  accountId: string;
  customHostnameId: string;
  /** The hostname's verification status: "pending" until Cloudflare has verified it, then "active". */
  status: string;
  /** The certificate's status, e.g. "pending_validation", "pending_issuance", "active". */
  sslStatus: string;
  verificationErrors: string[];
  /** The TXT record proving ownership, until the hostname is active. */
  ownershipVerification?: OwnershipVerification;
  sslValidationRecords: SslValidationRecord[];
}

async function check(
  context: ProviderContext,
  _olds: Partial<CustomHostnameInputs>,
  news: CustomHostnameInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const raw = news as unknown as Record<string, unknown>;
  const zoneId = failures.requireString(raw, "zoneId");
  if (zoneId !== undefined && !isZoneId(zoneId)) failures.add("zoneId", "zoneId must be a zone id (32 lowercase hexadecimal characters)");
  for (const p of customHostnameProblems(raw)) failures.add(p.property, p.reason);
  if (failures.any) return { failures: failures.list };
  const accountId = await checkConnection(context, credentialsOf(news), failures);
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

/** The inputs kept in a state: everything but what Cloudflare reports about the verification. */
function inputsOf(props: CustomHostnameOutputs): CustomHostnameInputs & { accountId: string } {
  const {
    customHostnameId: _i,
    status: _s,
    sslStatus: _ss,
    verificationErrors: _v,
    ownershipVerification: _o,
    sslValidationRecords: _r,
    ...inputs
  } = props;
  return inputs;
}

/** The hostname as the program spells it, from Cloudflare's answer (metadata keys kept as they are). */
function toOutputs(inputs: CustomHostnameInputs, accountId: string, h: Answer): CustomHostnameOutputs {
  const records = h.ssl?.validation_records ?? [];
  const ownership = h.ownership_verification;
  return {
    ...inputs,
    accountId,
    customHostnameId: h.id,
    status: h.status ?? "pending",
    sslStatus: h.ssl?.status ?? "initializing",
    verificationErrors: h.verification_errors ?? [],
    ...(ownership?.name && ownership.value
      ? { ownershipVerification: { type: ownership.type ?? "txt", name: ownership.name, value: ownership.value } }
      : {}),
    sslValidationRecords: records.map((r) => ({
      ...(r.txt_name ? { txtName: r.txt_name } : {}),
      ...(r.txt_value ? { txtValue: r.txt_value } : {}),
      ...(r.http_url ? { httpUrl: r.http_url } : {}),
      ...(r.http_body ? { httpBody: r.http_body } : {}),
      ...(r.emails ? { emails: r.emails } : {}),
    })),
  };
}

async function diff(_id: string, olds: CustomHostnameOutputs, news: CustomHostnameInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = changedKeys(["zoneId", "hostname", ...(news.accountId !== undefined ? ["accountId"] : [])], olds, news);
  const changed = changedKeys(["ssl", "customMetadata", "customOriginServer", "apiToken", "apiKey", "email"], olds, news, {
    customMetadata: {},
    ssl: {},
  });
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: true };
}

async function create(context: ProviderContext, inputs: CustomHostnameInputs): Promise<pulumi.dynamic.CreateResult> {
  const session = await openSession(context, credentialsOf(inputs));
  let created: Answer;
  try {
    created = await createCustomHostname(session, inputs.zoneId, createBody(inputs));
  } catch (error) {
    // Taken in the zone: ours from an interrupted run, or made outside Pulumi. Either way it is not taken over silently.
    const hint =
      httpStatus(error) === 409
        ? "the zone already has this custom hostname; delete it, or remove it from the program"
        : "check the hostname and the zoneId";
    throw describeFailure(`creating custom hostname '${inputs.hostname}' in zone ${inputs.zoneId}`, error, hint);
  }
  return { id: created.id, outs: toOutputs(inputs, session.accountId, created) };
}

async function read(context: ProviderContext, id: string, props: CustomHostnameOutputs): Promise<pulumi.dynamic.ReadResult> {
  const session = await openSession(context, credentialsOf(props));
  let h: Answer;
  try {
    h = await getCustomHostname(session, props.zoneId, props.customHostnameId ?? id);
  } catch (error) {
    if (isNotFound(error)) return {};
    throw describeFailure(`reading custom hostname '${props.hostname}'`, error);
  }
  const observed: CustomHostnameInputs = {
    ...inputsOf(props),
    hostname: h.hostname,
    ...(h.ssl?.method ? { ssl: { ...props.ssl, method: h.ssl.method } } : {}),
  };
  if (h.custom_metadata && Object.keys(h.custom_metadata).length) observed.customMetadata = h.custom_metadata;
  else delete observed.customMetadata;
  if (h.custom_origin_server) observed.customOriginServer = h.custom_origin_server;
  else delete observed.customOriginServer;
  // The program's own spelling: an ssl block it left out stays out while Cloudflare uses the default method.
  if (props.ssl === undefined && h.ssl?.method === "http") delete observed.ssl;
  const outs = toOutputs(observed, session.accountId, h);
  return { id, props: outs, inputs: inputsOf(outs) };
}

async function update(
  context: ProviderContext,
  id: string,
  olds: CustomHostnameOutputs,
  news: CustomHostnameInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  const session = await openSession(context, credentialsOf(news));
  try {
    const edited = await editCustomHostname(session, olds.zoneId, olds.customHostnameId ?? id, editBody(news));
    return { outs: toOutputs(news, session.accountId, edited) };
  } catch (error) {
    throw describeFailure(`editing custom hostname '${olds.hostname}'`, error);
  }
}

async function remove(context: ProviderContext, id: string, props: CustomHostnameOutputs): Promise<void> {
  const session = await openSession(context, credentialsOf(props));
  try {
    await deleteCustomHostname(session, props.zoneId, props.customHostnameId ?? id);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`deleting custom hostname '${props.hostname}'`, error);
  }
}

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function customHostnameResource(context: ProviderContext): ResourceMethods {
  return inContext(context, { check, diff, create, read, update, remove });
}
