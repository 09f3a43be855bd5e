/**
 * The per-request context handed to route handlers: parsed path params, query, headers, the raw
 * body (kept raw so later slices can parse multipart uploads), and lazy JSON parsing that turns a
 * malformed body into Cloudflare's 400 instead of an exception.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Authenticator, Principal } from "./auth";
import { errors } from "./envelope";
import type { FaultController } from "./faults";
import type { EmulatorState } from "./state";

export interface RequestContext {
  method: string;
  /** Path without the `/client/v4` prefix and without the query, e.g. `/accounts/<id>`. */
  path: string;
  /** Path as requested, including `/client/v4` (used in 7003 messages). */
  fullPath: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The authenticated caller; undefined only on routes declared with `auth: "none"`. */
  principal: Principal | undefined;
  state: EmulatorState;
  faults: FaultController;
  /** For routes that authenticate themselves (`auth: "none"`). */
  authenticator: Authenticator;
  /** Parses the body as JSON (undefined when empty); throws the 400 malformed-JSON ApiError. */
  json(): unknown;
}

/** A request header as one string (first value), undefined when absent or empty. */
export function requestHeader(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === "" ? undefined : s;
}

/** Parses a JSON body: empty → undefined, invalid → ApiError 400/6007. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw errors.malformedJson();
  }
}

/** Requires a JSON object body (an empty body counts as `{}`), for create/update endpoints. */
export function jsonObjectBody(ctx: RequestContext): Record<string, unknown> {
  const body = ctx.json();
  if (body === undefined) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw errors.invalidRequestBody("expected a JSON object");
  }
  return body as Record<string, unknown>;
}
