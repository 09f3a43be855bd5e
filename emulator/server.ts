/**
 * The HTTP front: a node:http server on 127.0.0.1 that strips `/client/v4`, applies injected
 * latency/faults and Cloudflare's rate limit (like Cloudflare's edge, before routing), routes, checks
 * credentials and account access, runs the handler and always answers with the JSON envelope.
 * Nothing a client sends may crash it: every failure becomes a Cloudflare-style error.
 */
import * as http from "node:http";
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { assertCanWrite, assertControlToken, authScheme, canSeeAccount, credentialKey, type Authenticator } from "./auth";
import { parseJsonBody, type RequestContext } from "./context";
import { CONTROL_PREFIX } from "./control";
import { errors, toApiError, type ApiResult } from "./envelope";
import type { FaultController, InjectedFault } from "./faults";
import type { ApiRateLimits } from "./rate-limit";
import { isAccountId } from "./ids";
import type { RequestLog, RequestLogEntry } from "./request-log";
import type { Router } from "./router";
import type { EmulatorState } from "./state";
import { withoutSecretValues } from "./workers/secrets";

export const API_PREFIX = "/client/v4";
/** Default request body limit; generous because later slices accept Worker script uploads. */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface ServerDeps {
  router: Router;
  control: Router;
  state: EmulatorState;
  faults: FaultController;
  rateLimits: ApiRateLimits;
  requests: RequestLog;
  authenticator: Authenticator;
  /** The bearer token the control endpoints require (all but `/__emulator/health`). */
  controlToken: string;
  maxBodyBytes: number;
}

export function createEmulatorServer(deps: ServerDeps): http.Server {
  const server = http.createServer((req, res) => {
    handle(deps, req, res).catch(() => {
      // Last resort: never let a rejected promise take the process down.
      if (!res.headersSent) send(res, errors.internal().toResult());
    });
  });
  // Malformed HTTP (bad request line, oversized headers): answer in JSON and close.
  server.on("clientError", (_err, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify(errors.invalidRequestBody("malformed HTTP request").toResult().envelope);
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const fullPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? "" : rawUrl.slice(q + 1);

  if (fullPath === CONTROL_PREFIX || fullPath.startsWith(`${CONTROL_PREFIX}/`)) {
    return handleControl(deps, req, res, method, fullPath, query);
  }

  const path = stripApiPrefix(fullPath);
  const entry = deps.requests.begin(method, path ?? fullPath, query);
  let body: { raw: Buffer; tooLarge: boolean };
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch {
    deps.requests.end(entry, null); // client went away mid-body
    return;
  }
  recordJsonBody(entry, req, body.raw);

  const finish = (result: ApiResult, fault?: InjectedFault) => {
    if (fault) entry.fault = fault;
    if (!result.envelope.success) entry.errorCode = result.envelope.errors[0]?.code;
    send(res, result);
    deps.requests.end(entry, result.status);
  };
  const drop = (fault: InjectedFault) => {
    entry.fault = fault;
    req.socket.destroy();
    deps.requests.end(entry, null);
  };

  if (body.tooLarge) return finish(errors.bodyTooLarge(deps.maxBodyBytes).toResult());

  const latency = deps.faults.nextLatencyMs(method, path ?? fullPath);
  if (latency > 0) {
    entry.latencyMs = latency;
    await sleep(latency);
  }

  const decision = deps.faults.decide(method, path ?? fullPath);
  if (decision.action === "drop-before") return drop(decision.fault);
  if (decision.action === "respond") return finish(decision.error.toResult(), decision.fault);

  const limit = deps.rateLimits.hit(credentialKey(req.headers, req.socket.remoteAddress), req.socket.remoteAddress ?? "unknown");
  if (limit.error) {
    entry.rateLimited = true;
    return finish(limit.error.toResult());
  }

  let result: ApiResult;
  try {
    if (path === undefined) throw errors.noRoute();
    result = await dispatch(deps, req, method, path, fullPath, query, body.raw);
  } catch (err) {
    result = toApiError(err).toResult();
  }
  result = { ...result, headers: { ...limit.headers, ...result.headers } };
  // An answer means the change is kept: with a data directory, it is in the journal (written with write(2),
  // which a kill of this process cannot undo; state-journal.ts says why the answer does not wait for fdatasync).
  await deps.state.written();
  // "Cloudflare applied it but the client never heard back."
  if (decision.action === "drop-after") return drop(decision.fault);
  finish(result);
}

/** Routing, credentials, account access, write permission, then the handler. */
async function dispatch(
  deps: ServerDeps,
  req: http.IncomingMessage,
  method: string,
  path: string,
  fullPath: string,
  query: string,
  rawBody: Buffer,
): Promise<ApiResult> {
  const m = deps.router.match(method, path);
  if (m.kind === "not-found") throw errors.noRoute();
  if (m.kind === "bad-encoding") throw errors.invalidObjectIdentifier(fullPath);
  const accountId = m.params.accountId;
  // Account and zone ids are 32-hex tags; anything else cannot be routed (7003), like Cloudflare.
  for (const id of [accountId, m.params.zoneId]) {
    if (id !== undefined && !isAccountId(id)) throw errors.invalidObjectIdentifier(fullPath);
  }
  if (m.kind === "method-not-allowed") throw errors.methodNotAllowed(method, authScheme(req.headers));

  const route = m.route;
  const principal = route.auth === "none" ? undefined : deps.authenticator.authenticate(req.headers);
  if (principal) {
    // An account the credential cannot see and one that does not exist look the same (403).
    if (accountId !== undefined && (!canSeeAccount(principal, accountId) || !deps.state.getAccount(accountId))) {
      throw errors.authenticationError();
    }
    if (route.write ?? method !== "GET") assertCanWrite(principal);
  }
  const ctx = makeContext(deps, req, method, path, fullPath, query, rawBody, m.params);
  ctx.principal = principal;
  return await route.handler(ctx);
}

async function handleControl(
  deps: ServerDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  fullPath: string,
  query: string,
): Promise<void> {
  let result: ApiResult;
  try {
    const body = await readBody(req, deps.maxBodyBytes);
    if (body.tooLarge) throw errors.bodyTooLarge(deps.maxBodyBytes);
    const m = deps.control.match(method, fullPath);
    // Checked before routing, so a caller without the token learns nothing about the control paths.
    if (m.kind !== "found" || m.route.auth !== "none") assertControlToken(req.headers, deps.controlToken);
    if (m.kind === "found") {
      result = await m.route.handler(makeContext(deps, req, method, fullPath, fullPath, query, body.raw, m.params));
    } else if (m.kind === "method-not-allowed") {
      throw errors.methodNotAllowed(method, "api_token");
    } else {
      throw errors.noRoute();
    }
  } catch (err) {
    if (!req.socket.writable) return;
    result = toApiError(err).toResult();
  }
  // Control changes (a custom hostname advanced) are kept before the answer too.
  await deps.state.written();
  send(res, result);
}

function makeContext(
  deps: ServerDeps,
  req: http.IncomingMessage,
  method: string,
  path: string,
  fullPath: string,
  query: string,
  rawBody: Buffer,
  params: Record<string, string>,
): RequestContext {
  let parsed: { value: unknown } | undefined;
  return {
    method,
    path,
    fullPath,
    params,
    query: new URLSearchParams(query),
    headers: req.headers,
    rawBody,
    principal: undefined,
    state: deps.state,
    faults: deps.faults,
    authenticator: deps.authenticator,
    json() {
      if (!parsed) parsed = { value: parseJsonBody(rawBody) };
      return parsed.value;
    },
  };
}

/** `/client/v4/x` → `/x`; undefined when the prefix is missing (→ 404 7000). */
function stripApiPrefix(fullPath: string): string | undefined {
  if (fullPath === API_PREFIX) return "/";
  if (fullPath.startsWith(`${API_PREFIX}/`)) return fullPath.slice(API_PREFIX.length);
  return undefined;
}

/** Reads the whole body; past the limit it keeps draining (so the client can read our 413) but stores nothing. */
function readBody(req: http.IncomingMessage, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve({ raw: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("aborted")));
  });
}

/** A body sent to a secrets endpoint (`…/secrets`, `…/secrets/:name`, `…/secrets-bulk`): every value field in it is a secret. */
const SECRETS_PATH = /\/secrets(?:-bulk|\/[^/]*)?$/;

/** Records a JSON body in the request log, without any secret value (workers/secrets.ts). */
function recordJsonBody(entry: RequestLogEntry, req: http.IncomingMessage, raw: Buffer): void {
  if (raw.length === 0 || !String(req.headers["content-type"] ?? "").includes("json")) return;
  try {
    entry.body = withoutSecretValues(JSON.parse(raw.toString("utf8")), { anyObject: SECRETS_PATH.test(entry.path) });
  } catch {
    // Malformed JSON is answered by the handler; nothing to record.
  }
}

function send(res: http.ServerResponse, result: ApiResult): void {
  if (res.headersSent || res.destroyed) return;
  // A raw body (e.g. multipart script content) replaces the JSON envelope.
  const body = result.raw ? result.raw.body : Buffer.from(JSON.stringify(result.envelope));
  res.writeHead(result.status, {
    ...result.headers,
    "content-type": result.raw ? result.raw.contentType : "application/json",
    "content-length": body.length,
    "cf-ray": `${randomBytes(8).toString("hex")}-EMU`,
  });
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
