/**
 * What every provider method needs before it can talk to Cloudflare: the API of its credentials
 * (api.ts) and the verified account id. `check` uses `checkConnection` to turn problems into failures
 * on the right property at preview time.
 */
import type { ProviderContext } from "../context";
import { AccountResolutionError, resolveAccountId } from "./account";
import type { CloudflareApi } from "./api";
import { type CredentialInputs, credentialInputProblems, MissingCredentialsError, resolveCredentials } from "./credentials";
import { CloudflareOperationError } from "./errors";
import { type Failures } from "../framework/check";
import { isUnknown } from "../framework/unknowns";

/** An account reached with one credential (what every endpoint, endpoints/, takes), in its provider's context. */
export interface Session {
  api: CloudflareApi;
  accountId: string;
  context: ProviderContext;
}

export async function openSession(context: ProviderContext, inputs: CredentialInputs): Promise<Session> {
  const credentials = resolveCredentials(context.config, inputs);
  const accountId = await resolveAccountId(context, inputs, credentials);
  return { api: context.api(credentials), accountId, context };
}

/**
 * Validates credentials and account for `check`, recording failures. Returns the account id to store
 * in the inputs (so a change of account shows as a replacement), or undefined when not knowable yet.
 */
export async function checkConnection(context: ProviderContext, inputs: CredentialInputs, failures: Failures): Promise<string | undefined> {
  const credentialFields = [inputs.apiToken, inputs.apiKey, inputs.email, inputs.accountId];
  if (credentialFields.some(isUnknown)) return undefined; // computed by another resource: checked at `up`
  const problems = credentialInputProblems(inputs);
  for (const p of problems) failures.add(p.property, p.reason);
  if (problems.length > 0) return undefined;
  try {
    return (await openSession(context, inputs)).accountId;
  } catch (error) {
    if (error instanceof MissingCredentialsError) failures.add(error.property, error.message);
    else if (error instanceof AccountResolutionError) failures.add(error.property, error.message);
    else if (error instanceof CloudflareOperationError && (error.status === 401 || error.status === 403)) {
      failures.add(inputs.apiKey ? "apiKey" : "apiToken", error.message);
    } else throw error;
    return undefined;
  }
}
