/**
 * The one way the provider and the importer reach Cloudflare: a `CloudflareApi` per credential (the
 * context, provider/context.ts, keeps one each), sending plain `fetch` requests through the request policy (request-policy.ts: pacing,
 * retries, attempt timeouts), with the SDK's authentication headers, Cloudflare's JSON envelope
 * unwrapped, one error shape (errors.ts: status, Cloudflare's codes and messages, the cf-ray id, the
 * request), and paging written once (`pages`). Each endpoint is one small function in endpoints/,
 * typed with the `cloudflare` SDK's own types (`import type` only: nothing of the SDK is loaded).
 *
 * Why plain requests and not the SDK client, measured (loading the `cloudflare` package in a fresh `node -e`,
 * 5-7 runs each, on the 2-core development machine while other builds ran; medians):
 *   Node 20.20: 4,030 ms and +33.7 MB RSS; Node 24.22: 2,550 ms and +38.7 MB RSS; 1,166 modules.
 *   Its error classes alone (core/error.js): 20-27 ms, +0.6 MB, 2 modules.
 * On an idle machine the load is about half a second; on a busy CI
 * runner it is seconds, paid by every provider process that made any call not yet written plainly.
 * What the SDK gave in return: its types (kept, as `import type`), paging (two shapes, below), error
 * classes (one here), and multipart encoding (multipart.ts; its v7 upload encoding is refused,
 * cloudflare-typescript#2799). Its retries and timeouts were already off (the policy's).
 * So no provider process loads it at all.
 */
import type { Credentials } from "./credentials";
import { CloudflareApiError, CloudflareConnectionError, type CloudflareErrorDetail } from "./errors";
import { MultipartBody } from "./multipart";
import type { RequestPolicy } from "./request-policy";

/** The SDK's default API root (node_modules/cloudflare/client.js), used when no base URL is configured. */
const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path under the API root, e.g. accountPath(...). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A multipart body (multipart.ts), or an object sent as JSON. */
  body?: MultipartBody | object;
  /** A bearer token that replaces the account's credentials (an asset upload's session token). */
  bearer?: string;
}

/** Cloudflare's JSON envelope (API docs, "Make API calls"), as far as callers read it. */
export interface Envelope<T> {
  result: T;
  result_info?: { page?: number; per_page?: number; count?: number; total_count?: number; cursor?: string | null };
}

/**
 * How a list endpoint pages, as the SDK's pagination classes (core/pagination.js) walk them:
 * - "single": one request (SinglePage);
 * - "page": `page=2, 3, …` until a page comes back empty (V4PagePaginationArray);
 * - "cursor": `cursor=` from `result_info.cursor` until it is empty (the namespace script list).
 */
export type Paging = "single" | "page" | "cursor";

/** The account-scoped base path every Workers for Platforms call lives under. */
export function accountPath(accountId: string, ...rest: string[]): string {
  return ["", "accounts", accountId, ...rest.map(encodeURIComponent)].join("/");
}

/** A path outside the account, e.g. zonePath(zoneId, "workers", "routes"). */
export function zonePath(zoneId: string, ...rest: string[]): string {
  return ["", "zones", zoneId, ...rest.map(encodeURIComponent)].join("/");
}

/**
 * The headers the SDK authenticates with (its client's authHeaders; Cloudflare's API docs,
 * "Authenticate with an API token / API key"): a bearer token, or the key with its email.
 */
function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === "token"
    ? { Authorization: `Bearer ${credentials.apiToken}` }
    : { "X-Auth-Key": credentials.apiKey, "X-Auth-Email": credentials.email };
}

function parseDetails(body: unknown): CloudflareErrorDetail[] {
  const raw = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e): e is { code?: unknown; message?: unknown } => typeof e === "object" && e !== null)
    .map((e) => ({ code: Number(e.code), message: String(e.message ?? "") }));
}

export class CloudflareApi {
  constructor(
    readonly credentials: Credentials,
    private readonly policy: RequestPolicy,
  ) {}

  /** The answer itself (a download's body and headers); a non-2xx answer is thrown as CloudflareApiError. */
  async response(request: ApiRequest, accept = "application/json"): Promise<Response> {
    const url = new URL(`${(this.credentials.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, "")}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const multipart = request.body instanceof MultipartBody ? request.body : undefined;
    const json = request.body !== undefined && multipart === undefined;
    let response: Response;
    try {
      response = await this.policy.fetch(url.toString(), {
        method: request.method,
        headers: {
          Accept: accept,
          ...(json ? { "Content-Type": "application/json" } : {}),
          ...(multipart ? { "Content-Type": multipart.contentType } : {}),
          ...(request.bearer === undefined ? authHeaders(this.credentials) : { Authorization: `Bearer ${request.bearer}` }),
        },
        body: json ? JSON.stringify(request.body) : multipart?.bytes,
      });
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      throw new CloudflareConnectionError(cause, cause.name === "TimeoutError", `${request.method} ${request.path}`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw new CloudflareApiError(
      response.status,
      parseDetails(body),
      response.headers.get("cf-ray") ?? undefined,
      `${request.method} ${request.path}`,
      body === undefined ? text : undefined,
    );
  }

  /** The answer's JSON envelope. */
  async envelope<T>(request: ApiRequest): Promise<Envelope<T>> {
    const text = await (await this.response(request)).text();
    try {
      return (text === "" ? { result: null } : JSON.parse(text)) as Envelope<T>;
    } catch {
      return { result: null } as Envelope<T>; // a 2xx without JSON (a DELETE's empty answer, say): nothing to read
    }
  }

  /** The envelope's `result`. */
  async call<T>(request: ApiRequest): Promise<T> {
    return (await this.envelope<T>(request)).result;
  }

  /** Every item of a list, requested page by page only as far as the caller reads. */
  async *pages<T>(request: ApiRequest, paging: Paging): AsyncGenerator<T> {
    let query = request.query ?? {};
    for (;;) {
      const page = await this.envelope<T[] | null>({ ...request, query });
      const items = page.result ?? [];
      yield* items;
      if (paging === "single") return;
      if (paging === "page") {
        if (items.length === 0) return;
        query = { ...query, page: Number(query.page ?? 1) + 1 };
      } else {
        const cursor = page.result_info?.cursor;
        if (!cursor) return;
        query = { ...query, cursor };
      }
    }
  }
}

/** Collects an async list into an array. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
