/**
 * The Cloudflare v4 JSON envelope and the one catalogue of error codes/messages the emulator uses.
 *
 * Every answer — success, failure, 404 for an unknown route — is wrapped as
 * `{ success, errors, messages, result, result_info? }`, because the official SDK reads `result`
 * (and `errors[]` on failures) and nothing else. Codes marked [INF] are inferred (see
 * emulator/SOURCES.md); keeping them all here makes them easy to correct later.
 */

/** One item of `errors[]` / `messages[]`. `error_chain` mirrors Cloudflare's nested detail (e.g. 6003 → 6111). */
export interface CfMessage {
  code: number;
  message: string;
  error_chain?: CfMessage[];
}

/** Page-number pagination (`/accounts`, KV) or cursor pagination (script lists) metadata. */
export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
  cursor?: string;
}

export interface Envelope<T = unknown> {
  success: boolean;
  errors: CfMessage[];
  messages: CfMessage[];
  result: T | null;
  result_info?: ResultInfo;
}

/** What a route handler returns: an HTTP status, the envelope, and optional extra headers. */
export interface ApiResult {
  status: number;
  envelope: Envelope;
  headers?: Record<string, string>;
  /**
   * A non-JSON body sent instead of the envelope (e.g. the multipart answer of
   * `GET …/scripts/:s/content`); `envelope` then only feeds the request log.
   */
  raw?: { body: Buffer; contentType: string };
}

/** A successful answer (HTTP 200 unless told otherwise). */
export function ok(result: unknown, resultInfo?: ResultInfo, status = 200): ApiResult {
  const envelope: Envelope = { success: true, errors: [], messages: [], result };
  if (resultInfo) envelope.result_info = resultInfo;
  return { status, envelope };
}

/** A successful non-JSON answer (HTTP 200): `body` is sent as is with `contentType`. */
export function okRaw(body: Buffer, contentType: string, headers: Record<string, string> = {}): ApiResult {
  return { status: 200, envelope: { success: true, errors: [], messages: [], result: null }, headers, raw: { body, contentType } };
}

/** A failure envelope: `result` is null, `errors` carries the Cloudflare code and message. */
export function failureEnvelope(errors: CfMessage[]): Envelope {
  return { success: false, errors, messages: [], result: null };
}

/** Thrown by handlers (and the server pipeline); the server turns it into a failure envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly headers: Record<string, string>;
  readonly errorChain?: CfMessage[];

  constructor(status: number, code: number, message: string, options: { headers?: Record<string, string>; errorChain?: CfMessage[] } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.errorChain = options.errorChain;
  }

  toResult(): ApiResult {
    const item: CfMessage = { code: this.code, message: this.message };
    if (this.errorChain) item.error_chain = this.errorChain;
    return { status: this.status, envelope: failureEnvelope([item]), headers: { ...this.headers } };
  }
}

/** Error catalogue: every code and message the emulator can answer with, in one place. */
export const errors = {
  // --- routing / protocol -------------------------------------------------------------------
  /** Unknown path. Seen from the real API for any unrouted URI. */
  noRoute: () => new ApiError(404, 7000, "No route for that URI"),
  /** An object identifier (e.g. account id) in the path is malformed; `fullPath` includes /client/v4. */
  invalidObjectIdentifier: (fullPath: string) =>
    new ApiError(400, 7003, `Could not route to ${fullPath}, perhaps your object identifier is invalid?`),
  /** Known path, wrong method (wording as seen in cloudflare-go PR #1345). */
  methodNotAllowed: (method: string, scheme: string) =>
    new ApiError(405, 10000, `${method} method not allowed for the ${scheme} authentication scheme`),
  /** [INF] Unparseable JSON body; 6007 is the code Cloudflare's v4 API uses for malformed JSON. */
  malformedJson: () => new ApiError(400, 6007, "Malformed JSON in request body"),
  /** [INF] Body larger than the emulator accepts. */
  bodyTooLarge: (limit: number) => new ApiError(413, 10027, `Request body too large: the limit is ${limit} bytes`),
  /** [INF] A JSON body of the wrong shape (not an object, a field of the wrong type). */
  invalidRequestBody: (detail: string) => new ApiError(400, 10026, `Invalid request body: ${detail}`),
  /** [INF] Anything unexpected inside the emulator; keeps the server alive and the envelope intact. */
  internal: () => new ApiError(500, 10002, "An internal error occurred. Please try again later."),

  // --- authentication -----------------------------------------------------------------------
  missingCredentials: () => new ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"),
  /** Authorization header that is not `Bearer <token>` (Cloudflare answers 6003 with a 6111 chain). */
  malformedAuthorization: () =>
    new ApiError(400, 6003, "Invalid request headers", {
      errorChain: [{ code: 6111, message: "Invalid format for Authorization header" }],
    }),
  /** [INF] Unknown token/key, account not visible to the credential, or a write with a read-only token. */
  authenticationError: () => new ApiError(403, 10000, "Authentication error"),
  /** `GET /user/tokens/verify` with anything but a valid bearer token. */
  invalidApiToken: () => new ApiError(401, 1000, "Invalid API Token"),

  // --- throttling and injected server failures ---------------------------------------------
  rateLimited: (retryAfterSeconds: number, extraHeaders: Record<string, string> = {}) =>
    new ApiError(429, 971, "Please wait and consider throttling your request speed", {
      headers: { "retry-after": String(retryAfterSeconds), ...extraHeaders },
    }),
  /** [INF] Cloudflare-like bodies for injected 5xx answers (real 5xx bodies vary). */
  serverError: (status: number) =>
    new ApiError(status, 10002, SERVER_ERROR_MESSAGES[status] ?? `HTTP ${status} (injected by the emulator)`),

  // --- dispatch namespaces -----------------------------------------------------------------
  /** 404/100119 recorded by probes of namespace sub-resources; message wording [INF]. */
  namespaceNotFound: (name: string) => new ApiError(404, 100119, `Dispatch namespace '${name}' was not found.`),
  /** HTTP 400 (never 409 — the SDK retries 409). Code 100120 [INF]; wording matches what alchemy greps for. */
  namespaceAlreadyExists: (name: string) =>
    new ApiError(400, 100120, `A dispatch namespace named '${name}' already exists. Ensure it does not already exist.`),
  /** [INF] 10016 = invalid name; `rule` is the human-readable rule from validation.ts. */
  invalidNamespaceName: (name: string, rule: string) => new ApiError(400, 10016, `Invalid dispatch namespace name '${name}': ${rule}`),
  /** [INF] The spec marks `name` optional; the emulator requires it so a provider bug cannot create unnamed namespaces. */
  namespaceNameRequired: () =>
    new ApiError(400, 10016, "A dispatch namespace name is required: send a JSON body with a non-empty string field 'name'."),

  // --- Workers (scripts) ---------------------------------------------------------------------
  /** 404/10007 with wrangler's wording (worker-not-found-error.ts). */
  scriptNotFound: () => new ApiError(404, 10007, "This Worker does not exist on your account."),
  /**
   * 404/10090 for a Worker missing under the legacy `/workers/services/:name` paths: the code is wrangler's
   * WORKER_LEGACY_ENVIRONMENT_NOT_FOUND_ERR_CODE (worker-not-found-error.ts); the message as wrangler's test mocks word it [INF].
   */
  serviceNotFound: () => new ApiError(404, 10090, "workers.api.error.service_not_found"),
  /**
   * 404/10092 for `GET …/dispatch/namespaces/:ns/scripts/:name` of a Worker the namespace does not hold: the only
   * answer wrangler's deploy into a namespace takes as "not there yet" (deploy-helpers validate-worker-props.ts;
   * durable.ts: "workers.api.error.environment_not_found", the message of its test mocks). HTTP status [INF].
   */
  namespacedScriptNotFound: () => new ApiError(404, 10092, "workers.api.error.environment_not_found"),
  /**
   * 404/10007 for an unknown version or deployment of an existing Worker: the Workers API answers 10007 for
   * what does not exist (a Worker, a workers.dev subdomain, a KV key: wrangler worker-not-found-error.ts,
   * triggers/subdomain.ts, kv `NO_SUCH_OBJECT_KEY`) [INF that versions and deployments share it; wording INF].
   */
  versionNotFound: (id: string) => new ApiError(404, 10007, `Version '${id}' of this Worker does not exist.`),
  deploymentNotFound: (id: string) => new ApiError(404, 10007, `Deployment '${id}' of this Worker does not exist.`),
  /** [INF] 400/10021 (the SDK documents the rule: "The latest deployment, which is actively serving traffic, cannot be deleted"). */
  activeDeploymentNotDeletable: () => new ApiError(400, 10021, "The latest deployment is serving traffic and cannot be deleted."),
  /**
   * 10215 for a secret change while the latest version is not the one deployed: wrangler's
   * VERSION_NOT_DEPLOYED_ERR_CODE (secret/index.ts); HTTP 400 and wording [INF].
   */
  versionNotDeployed: () =>
    new ApiError(
      400,
      10215,
      "The latest version of this Worker is not deployed: deploy it before changing secrets, or upload a new version with the secret.",
    ),
  /** [INF] HTTP 400 for 10016 (the code is evidenced, the status and wording are not); `rule` from validation.ts. */
  invalidScriptName: (name: string, rule: string) => new ApiError(400, 10016, `Invalid Worker name '${name}': ${rule}`),
  /**
   * 400/10021: the validator's answer for anything wrong with an upload (syntax error, bad
   * metadata, bad binding). Messages for metadata fields are [INF]; each names the offending field.
   */
  workerValidation: (message: string) => new ApiError(400, 10021, message),
  /** [INF] HTTP 400 for 10027 (`workers.api.error.script_too_large` per wrangler). */
  scriptTooLarge: (size: number, limit: number) =>
    new ApiError(
      400,
      10027,
      `workers.api.error.script_too_large: the Worker's modules total ${size} bytes, over the limit of ${limit} bytes.`,
    ),
  /** [INF] 400/10053: a secret would take the name of a non-secret binding of the script. */
  bindingNameInUse: (name: string) =>
    new ApiError(400, 10053, `Binding name '${name}' already in use. Please use a different name and try again.`),
  /** [INF] 404/10056 ("binding not found" per probes): the script has no secret of that name. */
  secretNotFound: (name: string) => new ApiError(404, 10056, `Secret '${name}' was not found on this Worker.`),
  /** [INF] A query parameter the endpoint cannot use (list/delete-by-tags filters, cursor). */
  invalidQuery: (message: string) => new ApiError(400, 10021, message),

  // --- Workers custom domains ------------------------------------------------------------------
  /** 404/10083 `workers.api.error.zone_not_found for "<zone>"` (a real answer quoted in cloudflare/workers-sdk#2906); HTTP 404 [INF]. */
  workerDomainZoneNotFound: (zone: string) => new ApiError(404, 10083, `workers.api.error.zone_not_found for "${zone}"`),
  /** 400/10082 "Can't infer zone from route" (quoted from Cloudflare in Kilo-Org/cloud#4031); HTTP 400 [INF]. */
  workerDomainZoneNotInferred: (hostname: string) =>
    new ApiError(400, 10082, `Can't infer zone from route '${hostname}': give zone_id or zone_name`),
  /** [INF] 400/10026 (the emulator's invalid-body code): a hostname with a scheme, path, port or wildcard. */
  invalidWorkerDomainHostname: (hostname: string) =>
    new ApiError(400, 10026, `Invalid hostname '${hostname}': a custom domain is a hostname only (no scheme, path, port or wildcard)`),
  /** [INF] 400/10026: the hostname is neither the zone's apex nor one of its subdomains. */
  workerDomainOutsideZone: (hostname: string, zone: string) =>
    new ApiError(400, 10026, `Hostname '${hostname}' is not in zone '${zone}': give the zone apex or a subdomain of it`),
  /** [INF] 404/10005 (the legacy Workers API's not-found code) for an unknown domain id. */
  workerDomainNotFound: () => new ApiError(404, 10005, "workers.api.error.not_found"),

  // --- workers.dev ---------------------------------------------------------------------------
  /** 404/10007 when the account has no workers.dev subdomain (wrangler triggers/subdomain.ts); wording [INF]. */
  workersDevSubdomainNotFound: () =>
    new ApiError(
      404,
      10007,
      "This account has no workers.dev subdomain registered. Register one with PUT /accounts/:account_id/workers/subdomain.",
    ),
  /** [INF] 400/10026 (the emulator's invalid-body code): the subdomain is not one DNS label. */
  invalidWorkersDevSubdomain: (subdomain: string) =>
    new ApiError(
      400,
      10026,
      `Invalid workers.dev subdomain '${subdomain}': use 1-63 lowercase letters, digits and '-', not starting or ending with '-'.`,
    ),

  // --- zones and Worker routes ---------------------------------------------------------------
  /**
   * [INF] GET /zones/:zone_id for an id no visible zone has. The wording "Invalid zone identifier" with
   * code 1003 is seen in the wild (as is 1001, and HTTP 400); the emulator answers 404 so a missing
   * zone reads as absent.
   */
  zoneNotFound: () => new ApiError(404, 1003, "Invalid zone identifier"),
  /** 404/10005 for an unknown zone or route under /zones/:zone_id/workers/routes (Cloudflare's legacy Workers API docs). */
  workersNotFound: () => new ApiError(404, 10005, "workers.api.error.not_found"),
  /** 400/10022 with one of the four messages of the legacy Workers API docs (see zones/route-patterns.ts). */
  invalidRoutePattern: (message: string) => new ApiError(400, 10022, message),
  /**
   * 409/10020 (legacy Workers API docs). Note the SDK retries 409 (up to `maxRetries`) before failing;
   * terraform greps the message "workers.api.error.duplicate_route", so it is kept verbatim.
   */
  duplicateRoute: () => new ApiError(409, 10020, "workers.api.error.duplicate_route"),

  // --- cron triggers --------------------------------------------------------------------------
  /** [INF] 400/10100 for a cron expression that is not five fields (code and wording inferred). */
  invalidCron: (cron: string) =>
    new ApiError(400, 10100, `Invalid cron expression '${cron}': give five fields (minute hour day-of-month month day-of-week)`),

  // --- custom hostnames (Cloudflare for SaaS) -------------------------------------------------
  /** [INF] 404/1436 for an unknown custom hostname id (code from third-party clients; wording inferred). */
  customHostnameNotFound: () => new ApiError(404, 1436, "The custom hostname was not found."),
  /** [INF] 409/1406 "Duplicate custom hostname found." (code and wording from third-party clients; status inferred). */
  duplicateCustomHostname: () => new ApiError(409, 1406, "Duplicate custom hostname found."),
  /** [INF] 400/1411 for a hostname that is not a DNS name (or is the zone's own). */
  invalidCustomHostname: (hostname: string, why: string) => new ApiError(400, 1411, `Invalid custom hostname '${hostname}': ${why}`),
  /** [INF] 404 "Resource not found." (a real answer quoted in opentdp/tdp-cloud#34) for a zone without a fallback origin; code inferred. */
  fallbackOriginNotFound: () => new ApiError(404, 1551, "Resource not found."),
  /** [INF] 400/1409: the fallback origin must be a hostname of the zone (DOCS: a proxied DNS record in the SaaS zone). */
  invalidFallbackOrigin: (origin: string, zone: string) =>
    new ApiError(400, 1409, `Invalid fallback origin '${origin}': it must be a hostname in zone '${zone}'`),

  // --- Workers KV ----------------------------------------------------------------------------
  /** 404/10013 (miniflare local explorer; probes). */
  kvNamespaceNotFound: () => new ApiError(404, 10013, "namespace not found"),
  /** 400/10014 with wrangler's wording; the HTTP status is [INF]. */
  kvNamespaceTitleTaken: () => new ApiError(400, 10014, "a namespace with this account ID and title already exists"),
  /** 400/10019 (SOURCES.md §6); wording [INF]. */
  kvNamespaceTitleRequired: () =>
    new ApiError(400, 10019, "a namespace title is required: send a JSON body with a non-empty string field 'title'"),
  /** 404/10009 (miniflare local explorer). */
  kvKeyNotFound: () => new ApiError(404, 10009, "get: 'key not found'"),
} as const;

const SERVER_ERROR_MESSAGES: Record<number, string> = {
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service temporarily unavailable",
  504: "Gateway timeout",
};

/** Turns anything thrown into an ApiError (unknown exceptions become a 500, never a crash). */
export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : errors.internal();
}

/** Error for an arbitrary injected status: 429 → 971 with Retry-After, 5xx → server error, other → generic. */
export function injectedError(status: number, opts: { retryAfterSeconds?: number; code?: number; message?: string } = {}): ApiError {
  let base: ApiError;
  if (status === 429) base = errors.rateLimited(opts.retryAfterSeconds ?? 1);
  else if (status >= 500) base = errors.serverError(status);
  else base = new ApiError(status, 10000, `HTTP ${status} (injected by the emulator)`);
  if (opts.code === undefined && opts.message === undefined) return base;
  return new ApiError(status, opts.code ?? base.code, opts.message ?? base.message, { headers: base.headers });
}
