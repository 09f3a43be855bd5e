/**
 * Where Cloudflare credentials come from, in order of precedence:
 *   1. explicit resource inputs (`apiToken`, or `apiKey` + `email`), which the SDK marks secret;
 *   2. stack config read by the dynamic provider's `configure` (`cloudflare:apiToken`, ...);
 *   3. the environment (`CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_API_KEY`, `CLOUDFLARE_EMAIL`, ...).
 * Credentials are never captured in the serialized provider: they are resolved here, inside the
 * provider process, at call time.
 */
import { createHash } from "node:crypto";

export interface CredentialInputs {
  apiToken?: string;
  apiKey?: string;
  email?: string;
  accountId?: string;
}

/** Just the credential fields of a resource's inputs or state (what opening a session needs). */
export function credentialsOf(props: CredentialInputs): CredentialInputs {
  return { apiToken: props.apiToken, apiKey: props.apiKey, email: props.email, accountId: props.accountId };
}

export type Credentials =
  { kind: "token"; apiToken: string; baseURL?: string } | { kind: "key"; apiKey: string; email: string; baseURL?: string };

/** Stack config keys the provider understands, as `configure` receives them. */
const CONFIG_KEYS = {
  apiToken: "cloudflare:apiToken",
  apiKey: "cloudflare:apiKey",
  email: "cloudflare:email",
  accountId: "cloudflare:accountId",
  baseUrl: "cloudflare:baseUrl",
} as const;

/**
 * Where credentials and the account come from besides a resource's inputs: the stack config that
 * `configure` found (the engine configures a provider process once), and the environment.
 */
export class ProviderConfig {
  private stack: Partial<Record<keyof typeof CONFIG_KEYS, string>> = {};

  constructor(private readonly environment: NodeJS.ProcessEnv) {}

  /** Takes the stack config `configure` receives (namespaced keys). */
  setStackConfig(get: (key: string) => string | undefined): void {
    const found: Partial<Record<keyof typeof CONFIG_KEYS, string>> = {};
    for (const [field, key] of Object.entries(CONFIG_KEYS) as [keyof typeof CONFIG_KEYS, string][]) {
      const value = get(key);
      if (value) found[field] = value;
    }
    this.stack = found;
  }

  stackValue(field: keyof typeof CONFIG_KEYS): string | undefined {
    return this.stack[field];
  }

  /** An environment variable, trimmed; blank counts as unset. */
  env(name: string): string | undefined {
    const value = this.environment[name];
    return value && value.trim() !== "" ? value.trim() : undefined;
  }

  /** The API base URL: stack config, else `CLOUDFLARE_BASE_URL` (the SDK's own variable), else the SDK default. */
  baseURL(): string | undefined {
    return this.stack.baseUrl ?? this.env("CLOUDFLARE_BASE_URL");
  }
}

export class MissingCredentialsError extends Error {
  constructor(
    readonly property: string,
    detail: string,
  ) {
    super(detail);
    this.name = "MissingCredentialsError";
  }
}

/**
 * A credential input that could never be sent: not a string, or with characters an HTTP header
 * value cannot carry (RFC 9110 forbids CR, LF and NUL there; an RFC 6750 bearer token is visible ASCII without spaces).
 */
export function credentialInputProblems(inputs: { [K in keyof CredentialInputs]?: unknown }): Array<{ property: string; reason: string }> {
  const problems: Array<{ property: string; reason: string }> = [];
  for (const property of ["apiToken", "apiKey", "email"] as const) {
    const value = inputs[property];
    if (value === undefined || value === null || value === "") continue; // not given: the stack config or environment decides
    if (typeof value !== "string" || !/^[\x21-\x7e]+$/.test(value)) {
      problems.push({ property, reason: `${property} must be a string of printable ASCII characters without spaces` });
    }
  }
  return problems;
}

export function resolveCredentials(config: ProviderConfig, inputs: CredentialInputs): Credentials {
  const baseURL = config.baseURL();
  if (inputs.apiToken) return { kind: "token", apiToken: inputs.apiToken, baseURL };
  if (inputs.apiKey || inputs.email) {
    if (!inputs.apiKey || !inputs.email) {
      throw new MissingCredentialsError(
        inputs.apiKey ? "email" : "apiKey",
        "apiKey and email must be given together (Cloudflare's global API key authenticates with both)",
      );
    }
    return { kind: "key", apiKey: inputs.apiKey, email: inputs.email, baseURL };
  }
  const sources: CredentialInputs[] = [
    { apiToken: config.stackValue("apiToken"), apiKey: config.stackValue("apiKey"), email: config.stackValue("email") },
    { apiToken: config.env("CLOUDFLARE_API_TOKEN"), apiKey: config.env("CLOUDFLARE_API_KEY"), email: config.env("CLOUDFLARE_EMAIL") },
  ];
  for (const source of sources) {
    if (source.apiToken) return { kind: "token", apiToken: source.apiToken, baseURL };
    if (source.apiKey && source.email) return { kind: "key", apiKey: source.apiKey, email: source.email, baseURL };
  }
  throw new MissingCredentialsError(
    "apiToken",
    "no Cloudflare credentials found: set the apiToken input (or apiKey and email), " +
      "the stack config cloudflare:apiToken (pulumi config set --secret cloudflare:apiToken ...), " +
      "or the CLOUDFLARE_API_TOKEN environment variable",
  );
}

/** The account id given explicitly, by stack config or by environment; undefined means "discover it". */
export function configuredAccountId(config: ProviderConfig, inputs: CredentialInputs): string | undefined {
  return inputs.accountId || config.stackValue("accountId") || config.env("CLOUDFLARE_ACCOUNT_ID");
}

/** A stable, non-reversible key for caching per credential (never logged, never stored). */
export function credentialsCacheKey(credentials: Credentials): string {
  const secret = credentials.kind === "token" ? credentials.apiToken : `${credentials.email}\n${credentials.apiKey}`;
  return createHash("sha256")
    .update(`${credentials.baseURL ?? ""}\n${secret}`)
    .digest("hex");
}
