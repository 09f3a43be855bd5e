import * as pulumi from "@pulumi/pulumi";

/**
 * A Cloudflare account and the credentials that reach it, to give several resources at once
 * (`account: production`) instead of repeating credentials on each. A program that manages two
 * accounts makes one of these per account. Tokens and keys are made secrets here, so they are
 * encrypted in state whatever the program passed.
 *
 * @example
 * const staging = new CloudflareAccount({ accountId: "023e105f4ecef8ad9ca31a8372d0c353", apiToken: config.requireSecret("stagingToken") });
 * new DispatchNamespace("tenants", { namespace: "customer-workers", account: staging });
 */
export class CloudflareAccount {
  readonly accountId?: pulumi.Input<string>;
  readonly apiToken?: pulumi.Output<string>;
  readonly apiKey?: pulumi.Output<string>;
  readonly email?: pulumi.Input<string>;

  constructor(args: CloudflareCredentialFields) {
    this.accountId = args.accountId;
    this.apiToken = args.apiToken === undefined ? undefined : pulumi.secret(args.apiToken);
    this.apiKey = args.apiKey === undefined ? undefined : pulumi.secret(args.apiKey);
    this.email = args.email;
  }
}

/** The credential fields, each optional: what is not given comes from the stack config, then the environment. */
export interface CloudflareCredentialFields {
  /**
   * The Cloudflare account id (32 hex characters).
   * @default the only account the credentials can see; with several, a preview error asks for it
   * @example "023e105f4ecef8ad9ca31a8372d0c353"
   */
  accountId?: pulumi.Input<string>;
  /**
   * An API token (preferred), with Workers Scripts and Workers KV edit permissions. Encrypted in state.
   * @default stack config `cloudflare:apiToken`, then `CLOUDFLARE_API_TOKEN`
   */
  apiToken?: pulumi.Input<string>;
  /**
   * A global API key, used together with `email`. Encrypted in state.
   * @default stack config `cloudflare:apiKey`, then `CLOUDFLARE_API_KEY`
   */
  apiKey?: pulumi.Input<string>;
  /**
   * The account email that goes with `apiKey`.
   * @default stack config `cloudflare:email`, then `CLOUDFLARE_EMAIL`
   */
  email?: pulumi.Input<string>;
}

/**
 * Optional per-resource Cloudflare credentials: an `account`, or the fields themselves (which win
 * over the account's). When neither is given, the provider uses the stack config
 * (`cloudflare:apiToken`, `cloudflare:apiKey`, `cloudflare:email`, `cloudflare:accountId`) and then
 * the environment (`CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_API_KEY`, `CLOUDFLARE_EMAIL`, `CLOUDFLARE_ACCOUNT_ID`).
 */
export interface CloudflareCredentialArgs extends CloudflareCredentialFields {
  /**
   * The account and credentials to use, shared by several resources.
   * @default the fields of this resource, then the stack config and environment
   */
  account?: CloudflareAccount;
}

/** The credential fields as provider inputs: secrets wrapped so state and previews never show them. */
export function credentialInputs(args: CloudflareCredentialArgs | undefined) {
  const account = args?.account;
  const apiToken = args?.apiToken ?? account?.apiToken;
  const apiKey = args?.apiKey ?? account?.apiKey;
  return {
    accountId: args?.accountId ?? account?.accountId,
    apiToken: apiToken === undefined ? undefined : pulumi.secret(apiToken),
    apiKey: apiKey === undefined ? undefined : pulumi.secret(apiKey),
    email: args?.email ?? account?.email,
  };
}

/** Outputs that must stay encrypted even if a caller passed them as plain inputs. */
export const SECRET_CREDENTIAL_OUTPUTS = ["apiToken", "apiKey"];
