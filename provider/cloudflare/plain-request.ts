/**
 * A Cloudflare API call without the SDK: the same request policy (pacing, retries, attempt timeouts),
 * the same authentication headers, the answer's JSON envelope, and on failure the SDK's own error,
 * made from the answer as the SDK makes it (`APIError.generate`), so every caller tells errors apart
 * as before (errors.ts).
 *
 * The SDK is about 1,200 modules: loading it is half a second or more of a provider process (sdk.ts).
 * The account check, and the calls most `up`s make (a dispatch namespace's create, get and delete, a
 * script's upload, list and delete), need none of it; the SDK is loaded only to build an error.
 */
import { Credentials } from "./credentials";
import { defaultPolicy } from "./request-policy";
import { cloudflareSdk } from "./sdk";

/** The SDK's default API root (node_modules/cloudflare/client.js), used when no base URL is configured. */
const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

/**
 * The headers the SDK authenticates with (its client's authHeaders; Cloudflare's API docs,
 * "Authenticate with an API token / API key"): a bearer token, or the key with its email.
 */
function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === "token" ? { Authorization: `Bearer ${credentials.apiToken}` } : { "X-Auth-Key": credentials.apiKey, "X-Auth-Email": credentials.email };
}

export interface PlainRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path under the API root, e.g. accountPath(...). */
  path: string;
  query?: Record<string, string | number | boolean>;
  /** A multipart body (fetch writes its Content-Type with the boundary), or an object sent as JSON. */
  body?: FormData | object;
}

/** The answer's JSON (Cloudflare's `{ success, errors, result, ... }` envelope); a non-2xx answer is thrown as the SDK's error. */
export async function plainRequest<T>(credentials: Credentials, request: PlainRequest): Promise<T> {
  const url = new URL(`${(credentials.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, "")}${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
  let response: Response;
  try {
    const json = request.body !== undefined && !(request.body instanceof FormData);
    response = await defaultPolicy.fetch(url.toString(), {
      method: request.method,
      headers: { Accept: "application/json", ...(json ? { "Content-Type": "application/json" } : {}), ...authHeaders(credentials) },
      body: json ? JSON.stringify(request.body) : (request.body as FormData | undefined),
    });
  } catch (error) {
    const sdk = cloudflareSdk();
    const cause = error instanceof Error ? error : new Error(String(error));
    throw cause.name === "TimeoutError" ? new sdk.APIConnectionTimeoutError({ message: cause.message }) : new sdk.APIConnectionError({ cause });
  }
  const text = await response.text();
  let body: object | undefined;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as object);
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  throw cloudflareSdk().APIError.generate(response.status, body, body ? undefined : text, response.headers);
}
