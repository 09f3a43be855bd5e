/**
 * The Cloudflare API client: one SDK instance per credential per provider process, so every resource
 * of every kind shares its connection pool and request policy.
 */
import Cloudflare from "cloudflare";
import { Credentials, credentialsCacheKey } from "./credentials";
import { policedFetch } from "./request-policy";

const clients = new Map<string, Cloudflare>();

export function cloudflareClient(credentials: Credentials): Cloudflare {
  const key = credentialsCacheKey(credentials);
  let client = clients.get(key);
  if (!client) {
    client = new Cloudflare({
      // Null (not undefined) stops the SDK from also picking up the other scheme from the environment.
      apiToken: credentials.kind === "token" ? credentials.apiToken : null,
      apiKey: credentials.kind === "key" ? credentials.apiKey : null,
      apiEmail: credentials.kind === "key" ? credentials.email : null,
      baseURL: credentials.baseURL,
      fetch: policedFetch,
      maxRetries: 6,
      timeout: 60_000,
    });
    clients.set(key, client);
  }
  return client;
}

/** The account-scoped base path every Workers for Platforms call lives under. */
export function accountPath(accountId: string, ...rest: string[]): string {
  return ["", "accounts", accountId, ...rest.map(encodeURIComponent)].join("/");
}
