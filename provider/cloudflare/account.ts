/**
 * Which Cloudflare account a resource lives in: the one given (input, stack config, environment),
 * checked once per process to be reachable with the credentials; otherwise the only account the
 * credentials can see. Memoized per credential in the context so a thousand resources cost one lookup.
 *
 * The check of a given account is one GET: it is all a no-op `pulumi up` or a preview asks of Cloudflare.
 */
import type { ProviderContext } from "../context";
import type { CloudflareApi } from "./api";
import { type CredentialInputs, type Credentials, configuredAccountId, credentialsCacheKey } from "./credentials";
import * as accounts from "./endpoints/accounts";
import { describeFailure, httpStatus } from "./errors";

export class AccountResolutionError extends Error {
  readonly property = "accountId";
  constructor(message: string) {
    super(message);
    this.name = "AccountResolutionError";
  }
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;

export function validateAccountIdFormat(accountId: string): string | undefined {
  return ACCOUNT_ID.test(accountId) ? undefined : "must be a Cloudflare account id: 32 lowercase hexadecimal characters";
}

async function verifyAccount(api: CloudflareApi, accountId: string): Promise<string> {
  try {
    await accounts.get(api, accountId);
    return accountId;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) {
      throw new AccountResolutionError(
        `account ${accountId} is not reachable with these credentials (Cloudflare answered HTTP ${status}): ` +
          "check the accountId (or CLOUDFLARE_ACCOUNT_ID), and that the apiToken (or apiKey) is allowed to access that account",
      );
    }
    throw describeFailure(`checking access to Cloudflare account ${accountId}`, error);
  }
}

async function discoverAccount(api: CloudflareApi): Promise<string> {
  const seen: { id: string; name: string }[] = [];
  try {
    for await (const account of accounts.list(api, 50)) {
      seen.push({ id: account.id, name: account.name });
      if (seen.length > 10) break;
    }
  } catch (error) {
    throw describeFailure("discovering the Cloudflare account of these credentials", error);
  }
  if (seen.length === 1) return seen[0].id;
  if (seen.length === 0) {
    throw new AccountResolutionError("the credentials can see no Cloudflare account: set accountId explicitly");
  }
  const listed = seen.map((a) => `${a.id} (${a.name})`).join(", ");
  throw new AccountResolutionError(
    `the credentials can see several Cloudflare accounts (${listed}): set accountId, the stack config ` +
      "cloudflare:accountId, or CLOUDFLARE_ACCOUNT_ID to choose one",
  );
}

/** The account id to use, verified. Throws AccountResolutionError / MissingCredentialsError for the user. */
export function resolveAccountId(context: ProviderContext, inputs: CredentialInputs, credentials: Credentials): Promise<string> {
  const explicit = configuredAccountId(context.config, inputs);
  if (explicit) {
    const problem = validateAccountIdFormat(explicit);
    if (problem) return Promise.reject(new AccountResolutionError(`accountId '${explicit}' ${problem}`));
  }
  const key = `${credentialsCacheKey(credentials)}\n${explicit ?? "*"}`;
  const lookups = context.accountLookups;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = explicit ? verifyAccount(context.api(credentials), explicit) : discoverAccount(context.api(credentials));
    // A failed lookup is not cached: the next call (e.g. after a transient error) tries again.
    lookup.catch(() => lookups.delete(key));
    lookups.set(key, lookup);
  }
  return lookup;
}
