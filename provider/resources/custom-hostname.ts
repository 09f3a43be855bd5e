/**
 * CustomHostname: a customer's domain added to the platform's zone (Cloudflare for SaaS). Requests to it
 * enter the zone once Cloudflare has verified it, and reach the zone's `*` + `/*` route (the dispatcher),
 * which reads `customMetadata` as `request.cf.hostMetadata`.
 *
 * - create: POST; the answer says what the customer must publish (ownership and certificate records).
 *           With the sdk's `import` option (its id), the existing hostname is taken over instead: edited
 *           only where the program says otherwise (the update rule), so one declared as it is sees no write.
 * - update: metadata, origin and validation method are edited in place (PATCH); a new hostname or zone
 *           is a new custom hostname.
 * - read:   by id: the verification and certificate status move as Cloudflare verifies (`pulumi refresh`);
 *           gone means removed from state; metadata edited outside Pulumi shows as drift.
 * - delete: idempotent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { describeFailure, httpStatus, isNotFound } from "../cloudflare/errors";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import { Failures, isNew } from "../framework/check";
import { type ResourceMethods, inContext } from "../framework/resource-methods";
import { changedKeys } from "../framework/diff";
import { isUnknown } from "../framework/unknowns";
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
  /** Set by the sdk for the `import` option: the id of an existing custom hostname of the zone. */
  importFrom?: string;
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

export interface CustomHostnameOutputs extends Omit<CustomHostnameInputs, "importFrom"> {
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
  olds: Partial<CustomHostnameInputs>,
  news: CustomHostnameInputs,
): Promise<pulumi.dynamic.CheckResult> {
  const failures = new Failures();
  const raw = news as unknown as Record<string, unknown>;
  const zoneId = failures.requireString(raw, "zoneId");
  if (zoneId !== undefined && !isZoneId(zoneId)) failures.add("zoneId", "zoneId must be a zone id (32 lowercase hexadecimal characters)");
  for (const p of customHostnameProblems(raw)) failures.add(p.property, p.reason);
  failures.optionalString(raw, "importFrom");
  if (failures.any) return { failures: failures.list };
  const accountId = await checkConnection(context, credentialsOf(news), failures);
  // The import option on a resource not yet in state: the hostname must exist in the zone, and be this one, said at preview.
  if (accountId && news.importFrom !== undefined && !isUnknown(news.importFrom) && !isUnknown(news.zoneId) && isNew(olds)) {
    const found = await findById(await openSession(context, credentialsOf(news)), news.zoneId, news.importFrom);
    if (!found)
      failures.add(
        "import",
        `the import option names custom hostname ${news.importFrom}, which does not exist in zone ${news.zoneId} (remove the option to create it, or fix the id)`,
      );
    else if (!isUnknown(news.hostname) && found.hostname !== news.hostname)
      failures.add(
        "hostname",
        `the import option names custom hostname ${news.importFrom}, which is '${found.hostname}', not '${news.hostname}'`,
      );
  }
  if (failures.any) return { failures: failures.list };
  return { inputs: accountId ? { ...news, accountId } : news };
}

/** The custom hostname with this id in the zone, or undefined when there is none (404: emulator/SOURCES.md §5.10). */
async function findById(session: Session, zoneId: string, id: string): Promise<Answer | undefined> {
  try {
    return await getCustomHostname(session, zoneId, id);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeFailure(`reading custom hostname ${id} of zone ${zoneId}`, error);
  }
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
  const { importFrom: _importFrom, ...kept } = inputs; // a one-time instruction, not something to diff against later
  return {
    ...kept,
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

/** The inputs that declare `h` as Cloudflare has it, in the spelling of `known` (the state's or the program's inputs). */
function observedInputs(known: CustomHostnameInputs, h: Answer): CustomHostnameInputs {
  const observed: CustomHostnameInputs = {
    ...known,
    hostname: h.hostname,
    ...(h.ssl?.method ? { ssl: { ...known.ssl, method: h.ssl.method } } : {}),
  };
  if (h.custom_metadata && Object.keys(h.custom_metadata).length) observed.customMetadata = h.custom_metadata;
  else delete observed.customMetadata;
  if (h.custom_origin_server) observed.customOriginServer = h.custom_origin_server;
  else delete observed.customOriginServer;
  // The program's own spelling: an ssl block it left out stays out while Cloudflare uses the default method.
  if (known.ssl === undefined && h.ssl?.method === "http") delete observed.ssl;
  return observed;
}

/** The inputs that declare `h` of zone `zoneId` exactly as Cloudflare has it (what the import command writes). */
export function declaredCustomHostname(zoneId: string, h: Answer): CustomHostnameInputs {
  return observedInputs({ zoneId, hostname: h.hostname }, h);
}

/** What a PATCH edits in place, where `news` differs from `olds` (an absent ssl block or metadata is an empty one). */
function editedKeys(olds: Partial<CustomHostnameInputs>, news: CustomHostnameInputs): string[] {
  return changedKeys(["ssl", "customMetadata", "customOriginServer"], olds, news, { customMetadata: {}, ssl: {} });
}

async function diff(_id: string, olds: CustomHostnameOutputs, news: CustomHostnameInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = changedKeys(["zoneId", "hostname", ...(news.accountId !== undefined ? ["accountId"] : [])], olds, news);
  const changed = [...editedKeys(olds, news), ...changedKeys(["apiToken", "apiKey", "email"], olds, news)];
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: true };
}

/** The PATCH that makes a custom hostname what `news` declares. */
async function edit(session: Session, zoneId: string, id: string, hostname: string, news: CustomHostnameInputs): Promise<Answer> {
  try {
    return await editCustomHostname(session, zoneId, id, editBody(news));
  } catch (error) {
    throw describeFailure(`editing custom hostname '${hostname}'`, error);
  }
}

/** The import option: the existing hostname, edited only where the program declares it otherwise. */
async function adopt(session: Session, inputs: CustomHostnameInputs & { importFrom: string }): Promise<pulumi.dynamic.CreateResult> {
  const found = await findById(session, inputs.zoneId, inputs.importFrom);
  if (!found) throw new Error(`importing custom hostname ${inputs.importFrom}: no such custom hostname in zone ${inputs.zoneId}`);
  const current = editedKeys(observedInputs(inputs, found), inputs).length
    ? await edit(session, inputs.zoneId, found.id, found.hostname, inputs)
    : found;
  return { id: current.id, outs: toOutputs(inputs, session.accountId, current) };
}

async function create(context: ProviderContext, inputs: CustomHostnameInputs): Promise<pulumi.dynamic.CreateResult> {
  const session = await openSession(context, credentialsOf(inputs));
  if (inputs.importFrom !== undefined) return adopt(session, { ...inputs, importFrom: inputs.importFrom });
  let created: Answer;
  try {
    created = await createCustomHostname(session, inputs.zoneId, createBody(inputs));
  } catch (error) {
    // Taken in the zone: ours from an interrupted run, or made outside Pulumi. Either way it is not taken over silently.
    const hint =
      httpStatus(error) === 409
        ? "the zone already has this custom hostname; bring it in with the import resource option (its id), delete it, or remove it from the program"
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
  const outs = toOutputs(observedInputs(inputsOf(props), h), session.accountId, h);
  return { id, props: outs, inputs: inputsOf(outs) };
}

async function update(
  context: ProviderContext,
  id: string,
  olds: CustomHostnameOutputs,
  news: CustomHostnameInputs,
): Promise<pulumi.dynamic.UpdateResult> {
  const session = await openSession(context, credentialsOf(news));
  const edited = await edit(session, olds.zoneId, olds.customHostnameId ?? id, olds.hostname, news);
  return { outs: toOutputs(news, session.accountId, edited) };
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
