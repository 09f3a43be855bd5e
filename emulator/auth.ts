/**
 * Credentials, the way Cloudflare's v4 API checks them: a bearer API token, or the legacy global
 * API key sent as `X-Auth-Email` + `X-Auth-Key`. Each credential sees a set of accounts and has a
 * permission level; refusals use the codes in envelope.ts.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { errors } from "./envelope";
import { stableHexId } from "./ids";

export type Permission = "edit" | "read";

export interface TokenSpec {
  /** The secret sent as `Authorization: Bearer <token>`. */
  token: string;
  /** "edit" (default) may write; "read" is refused on POST/PUT/PATCH/DELETE. */
  permission?: Permission;
  /** Account ids the token can see; omitted = every account of the emulator. */
  accounts?: string[];
  /** Token id returned by /user/tokens/verify; defaults to a stable hash of the token. */
  id?: string;
}

export interface ApiKeySpec {
  email: string;
  key: string;
  permission?: Permission;
  accounts?: string[];
}

/** The authenticated caller of a request. */
export interface Principal {
  kind: "token" | "api_key";
  /** Token id (for tokens) or a stable id for the key. */
  id: string;
  /** 32-hex user tag, used for `created_by` / `modified_by`. */
  userId: string;
  permission: Permission;
  /** null = all accounts. */
  accounts: ReadonlySet<string> | null;
}

export class Authenticator {
  private readonly tokens = new Map<string, Principal>();
  private readonly keys = new Map<string, Principal>();

  constructor(tokens: TokenSpec[], apiKeys: ApiKeySpec[]) {
    for (const t of tokens) {
      this.tokens.set(t.token, {
        kind: "token",
        id: t.id ?? stableHexId(`token:${t.token}`),
        userId: stableHexId(`user:${t.token}`),
        permission: t.permission ?? "edit",
        accounts: t.accounts ? new Set(t.accounts) : null,
      });
    }
    for (const k of apiKeys) {
      this.keys.set(keyOf(k.email, k.key), {
        kind: "api_key",
        id: stableHexId(`key:${k.email}`),
        userId: stableHexId(`user:${k.email}`),
        permission: k.permission ?? "edit",
        accounts: k.accounts ? new Set(k.accounts) : null,
      });
    }
  }

  /** Returns the caller or throws the Cloudflare refusal (9106 missing, 6003 malformed, 10000 unknown). */
  authenticate(headers: IncomingHttpHeaders): Principal {
    const authorization = header(headers, "authorization");
    const email = header(headers, "x-auth-email");
    const key = header(headers, "x-auth-key");
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      if (token === undefined) throw errors.malformedAuthorization();
      const p = this.tokens.get(token);
      if (!p) throw errors.authenticationError();
      return p;
    }
    if (email === undefined || key === undefined) throw errors.missingCredentials();
    const p = this.keys.get(keyOf(email, key));
    if (!p) throw errors.authenticationError();
    return p;
  }

  /** For /user/tokens/verify: only a known bearer token counts. */
  verifyToken(headers: IncomingHttpHeaders): Principal | undefined {
    const authorization = header(headers, "authorization");
    const token = authorization === undefined ? undefined : bearerToken(authorization);
    const p = token === undefined ? undefined : this.tokens.get(token);
    return p?.kind === "token" ? p : undefined;
  }
}

/** Whether the caller may touch `accountId` (which must also exist). */
export function canSeeAccount(p: Principal, accountId: string): boolean {
  return p.accounts === null || p.accounts.has(accountId);
}

/** Throws 403/10000 when a read-only credential attempts a write. */
export function assertCanWrite(p: Principal): void {
  if (p.permission !== "edit") throw errors.authenticationError();
}

/** The word Cloudflare puts in "<METHOD> method not allowed for the <scheme> authentication scheme". */
export function authScheme(headers: IncomingHttpHeaders): string {
  return header(headers, "authorization") === undefined && header(headers, "x-auth-key") !== undefined ? "api_key" : "api_token";
}

/** A stable key for rate limiting: the credential itself (Cloudflare limits per user), hashed. */
export function credentialKey(headers: IncomingHttpHeaders, remoteAddress: string | undefined): string {
  const authorization = header(headers, "authorization");
  if (authorization !== undefined) return stableHexId(`auth:${authorization}`);
  const email = header(headers, "x-auth-email");
  if (email !== undefined) return stableHexId(`email:${email}`);
  return `ip:${remoteAddress ?? "unknown"}`;
}

/**
 * The control endpoints' check (`/__emulator/*` but health): `Authorization: Bearer <control token>`,
 * refused the way the API refuses a credential (400/9106 none, 400/6003 malformed, 403/10000 wrong) [INF].
 */
export function assertControlToken(headers: IncomingHttpHeaders, controlToken: string): void {
  const authorization = header(headers, "authorization");
  if (authorization === undefined) throw errors.missingCredentials();
  const token = bearerToken(authorization);
  if (token === undefined) throw errors.malformedAuthorization();
  if (!sameSecret(token, controlToken)) throw errors.authenticationError();
}

/** Constant-time comparison (of digests, so lengths need not match). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function bearerToken(authorization: string): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === "" ? undefined : s;
}

function keyOf(email: string, key: string): string {
  return `${email.toLowerCase()}\n${key}`;
}
