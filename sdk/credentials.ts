import * as pulumi from "@pulumi/pulumi";

/**
 * Optional per-resource Cloudflare credentials. When omitted, the provider uses the stack config
 * (`cloudflare:apiToken`, `cloudflare:apiKey`, `cloudflare:email`, `cloudflare:accountId`) and then
 * the environment (`CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_API_KEY`, `CLOUDFLARE_EMAIL`, `CLOUDFLARE_ACCOUNT_ID`).
 */
export interface CloudflareCredentialArgs {
  /** The Cloudflare account id (32 hex characters). Discovered when the credentials see exactly one account. */
  accountId?: pulumi.Input<string>;
  /** An API token (preferred). Stored encrypted in state, never in plain text. */
  apiToken?: pulumi.Input<string>;
  /** A global API key, used together with `email`. Stored encrypted in state. */
  apiKey?: pulumi.Input<string>;
  /** The account email that goes with `apiKey`. */
  email?: pulumi.Input<string>;
}

/** The credential fields as provider inputs: secrets wrapped so state and previews never show them. */
export function credentialInputs(args: CloudflareCredentialArgs | undefined) {
  return {
    accountId: args?.accountId,
    apiToken: args?.apiToken === undefined ? undefined : pulumi.secret(args.apiToken),
    apiKey: args?.apiKey === undefined ? undefined : pulumi.secret(args.apiKey),
    email: args?.email,
  };
}

/** Outputs that must stay encrypted even if a caller passed them as plain inputs. */
export const SECRET_CREDENTIAL_OUTPUTS = ["apiToken", "apiKey"];
