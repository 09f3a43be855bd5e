/**
 * One place that understands Cloudflare's errors: the shape a failed call has (api.ts throws it),
 * which codes mean "not there", and how a failure is told to the user (the action, the resource,
 * Cloudflare's own code and message, the ray id Cloudflare's support asks for, and what to do).
 */

/** Cloudflare error codes that mean the object asked for does not exist. */
export const NOT_FOUND_CODES = {
  worker: 10007,
  kvNamespace: 10013,
  dispatchNamespace: 100119,
} as const;

export interface CloudflareErrorDetail {
  code: number;
  message: string;
}

/**
 * Cloudflare answered, with something other than a 2xx: the status, the envelope's `errors`, and the
 * `cf-ray` header that identifies the request to Cloudflare (Cloudflare docs, "Cloudflare HTTP headers").
 */
export class CloudflareApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: CloudflareErrorDetail[],
    readonly rayId: string | undefined,
    /** The request, e.g. "GET /accounts/…/workers/dispatch/namespaces/tenants". */
    readonly request: string,
    /** The answer's text when it was not JSON. */
    readonly text?: string,
  ) {
    super(
      `${request}: HTTP ${status}${errors.length ? ` ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}` : text ? ` ${text.slice(0, 200)}` : ""}`,
    );
    this.name = "CloudflareApiError";
  }
}

/** No answer came back: the connection failed, or the attempt timed out (request-policy.ts). */
export class CloudflareConnectionError extends Error {
  constructor(
    override readonly cause: Error,
    readonly timedOut: boolean,
    readonly request: string,
  ) {
    super(timedOut ? `${request}: timed out` : `${request}: ${cause.message}`);
    this.name = "CloudflareConnectionError";
  }
}

export function errorDetails(error: unknown): CloudflareErrorDetail[] {
  return error instanceof CloudflareApiError ? error.errors : [];
}

export function httpStatus(error: unknown): number | undefined {
  return error instanceof CloudflareApiError ? error.status : undefined;
}

export function hasErrorCode(error: unknown, ...codes: number[]): boolean {
  return errorDetails(error).some((e) => codes.includes(e.code));
}

/** True when Cloudflare says the thing is absent (HTTP 404, or a not-found code on any status). */
export function isNotFound(error: unknown): boolean {
  return httpStatus(error) === 404 || hasErrorCode(error, ...Object.values(NOT_FOUND_CODES));
}

/** Cloudflare answers a duplicate name with HTTP 400 and "already exists" (never 409). */
export function isAlreadyExists(error: unknown): boolean {
  if (httpStatus(error) !== 400) return false;
  return errorDetails(error).some((e) => /already exists|does not already exist/i.test(e.message));
}

/** An error a person can act on: "<action>: Cloudflare refused it (HTTP 400, code 10021): <message>. <hint>" */
export class CloudflareOperationError extends Error {
  constructor(
    readonly action: string,
    readonly status: number | undefined,
    readonly details: CloudflareErrorDetail[],
    cause: unknown,
    hint?: string,
    readonly rayId: string | undefined = cause instanceof CloudflareApiError ? cause.rayId : undefined,
  ) {
    super(formatMessage(action, status, details, cause, hint, rayId));
    this.name = "CloudflareOperationError";
  }
}

function formatMessage(
  action: string,
  status: number | undefined,
  details: CloudflareErrorDetail[],
  cause: unknown,
  hint?: string,
  rayId?: string,
): string {
  let what: string;
  if (details.length > 0) {
    const codes = details.map((d) => `code ${d.code}`).join(", ");
    what = `Cloudflare refused it (HTTP ${status}, ${codes}): ${details.map((d) => d.message).join("; ")}`;
  } else if (status !== undefined) {
    what = `Cloudflare answered HTTP ${status}`;
  } else if (cause instanceof CloudflareConnectionError && cause.timedOut) {
    what = "the request to Cloudflare timed out";
  } else if (cause instanceof CloudflareConnectionError) {
    what = `could not reach the Cloudflare API (${cause.cause})`;
  } else {
    what = cause instanceof Error ? cause.message : String(cause);
  }
  const auth = status === 401 || status === 403 ? authHint(details) : undefined;
  // Cloudflare's messages sometimes end with a period already: do not double it when joining.
  return [`${action}: ${what}`, auth, hint, rayId && `Cloudflare ray id ${rayId}`]
    .filter(Boolean)
    .map((part) => part!.replace(/\.$/, ""))
    .join(". ");
}

function authHint(details: CloudflareErrorDetail[]): string {
  const scheme = details.some((d) => d.code === 9106) ? "no credentials were sent" : "the credentials were refused";
  return `${scheme}: check the apiToken (or apiKey and email), that it can access this account, and that it has the Workers Scripts:Edit permission`;
}

/** Wraps any failure of a Cloudflare call into a CloudflareOperationError (passing those through). */
export function describeFailure(action: string, error: unknown, hint?: string): Error {
  if (error instanceof CloudflareOperationError) return error;
  return new CloudflareOperationError(action, httpStatus(error), errorDetails(error), error, hint);
}
