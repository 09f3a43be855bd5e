/**
 * The Cloudflare API client: one SDK instance per credential per provider process, so every resource
 * of every kind shares its connection pool and request policy.
 *
 * Retries and per-attempt timeouts are the request policy's (request-policy.ts), so the SDK's are
 * off: its `timeout` is only the overall deadline of one call, queueing and retries included.
 */
import type Cloudflare from "cloudflare";
import { Credentials, credentialsCacheKey } from "./credentials";
import { defaultPolicy, type RequestPolicy } from "./request-policy";
import { cloudflareSdk } from "./sdk";

const clients = new Map<string, Cloudflare>();

/**
 * How long one call may take in all, waiting for the rate window (up to 5 minutes at Cloudflare's
 * limit) and every retry included. The attempts themselves time out much earlier (the policy's).
 */
const CALL_DEADLINE_MS = 30 * 60_000;

/** A client whose every request goes through `policy` (the process's own unless told otherwise). */
export function createClient(credentials: Credentials, policy: RequestPolicy = defaultPolicy): Cloudflare {
  const Sdk = cloudflareSdk();
  return new Sdk({
    // Null (not undefined) stops the SDK from also picking up the other scheme from the environment.
    apiToken: credentials.kind === "token" ? credentials.apiToken : null,
    apiKey: credentials.kind === "key" ? credentials.apiKey : null,
    apiEmail: credentials.kind === "key" ? credentials.email : null,
    baseURL: credentials.baseURL,
    fetch: policy.fetch,
    maxRetries: 0,
    timeout: CALL_DEADLINE_MS,
  });
}

export function cloudflareClient(credentials: Credentials): Cloudflare {
  const key = credentialsCacheKey(credentials);
  let client = clients.get(key);
  if (!client) clients.set(key, (client = createClient(credentials)));
  return client;
}

/** The account-scoped base path every Workers for Platforms call lives under. */
export function accountPath(accountId: string, ...rest: string[]): string {
  return ["", "accounts", accountId, ...rest.map(encodeURIComponent)].join("/");
}
