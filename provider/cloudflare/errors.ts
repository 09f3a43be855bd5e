/**
 * One place that understands Cloudflare's errors: which codes mean "not there", and how a failed call
 * is told to the user (the action, the resource, Cloudflare's own code and message, and what to do).
 */
import type { APIError } from "cloudflare/core/error";
import { loadedCloudflareSdk } from "./sdk";

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

/** Whether `error` is the SDK's API error (only possible once something loaded the SDK: sdk.ts). */
function isSdkApiError(error: unknown): error is APIError {
  const sdk = loadedCloudflareSdk();
  return sdk !== undefined && error instanceof sdk.APIError;
}

export function errorDetails(error: unknown): CloudflareErrorDetail[] {
  if (!isSdkApiError(error)) return [];
  const raw = (error.errors ?? []) as Array<{ code?: unknown; message?: unknown }>;
  return raw
    .filter((e) => typeof e === "object" && e !== null)
    .map((e) => ({ code: Number(e.code), message: String(e.message ?? "") }));
}

export function httpStatus(error: unknown): number | undefined {
  return isSdkApiError(error) ? error.status : undefined;
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
  ) {
    super(formatMessage(action, status, details, cause, hint));
    this.name = "CloudflareOperationError";
  }
}

function formatMessage(
  action: string,
  status: number | undefined,
  details: CloudflareErrorDetail[],
  cause: unknown,
  hint?: string,
): string {
  const sdk = loadedCloudflareSdk();
  let what: string;
  if (details.length > 0) {
    const codes = details.map((d) => `code ${d.code}`).join(", ");
    what = `Cloudflare refused it (HTTP ${status}, ${codes}): ${details.map((d) => d.message).join("; ")}`;
  } else if (status !== undefined) {
    what = `Cloudflare answered HTTP ${status}`;
  } else if (sdk !== undefined && cause instanceof sdk.APIConnectionTimeoutError) {
    what = "the request to Cloudflare timed out";
  } else if (sdk !== undefined && cause instanceof sdk.APIConnectionError) {
    what = `could not reach the Cloudflare API (${(cause as Error).cause ?? cause.message})`;
  } else {
    what = cause instanceof Error ? cause.message : String(cause);
  }
  const auth = status === 401 || status === 403 ? authHint(details) : undefined;
  // Cloudflare's messages sometimes end with a period already: do not double it when joining.
  return [`${action}: ${what}`, auth, hint]
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
