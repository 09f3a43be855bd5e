/**
 * The request policy shared by every Cloudflare call in this provider process, whatever resource made it.
 * It is the only place that decides how a request reaches Cloudflare:
 *
 * - a cap on concurrent requests (CLOUDFLARE_WFP_MAX_CONCURRENCY, default 16);
 * - a client-side sliding-window rate limit matching Cloudflare's 1200 requests per 5 minutes per
 *   user (CLOUDFLARE_WFP_RATE_LIMIT "1200/300"), so a thousand-tenant `pulumi up` queues here instead
 *   of being locked out for five minutes; and what Cloudflare says is left of that window
 *   (`x-ratelimit-remaining` / `-reset`), because earlier commands and other tools spend it too;
 * - retries (CLOUDFLARE_WFP_MAX_RETRIES, default 6) of 429, 408, 5xx, connection errors and
 *   timeouts, with exponential backoff and jitter; Retry-After is honoured, and a 429 pauses every
 *   request of the process, because Cloudflare's limit is per user, not per request;
 * - a timeout per attempt (CLOUDFLARE_WFP_REQUEST_TIMEOUT seconds, default 60), counted from when the
 *   request leaves, never while it queues.
 * Other 4xx answers are final and go straight back to the caller (errors.ts words them).
 *
 * The SDK's own retry is off (client.ts): with two retry loops neither would see the whole story.
 * Each retry is written to stderr, which the engine shows in `pulumi up` output, and counted in
 * `policyStats()`. A caller can also ask what happened to the attempts of one call (`CallRecord`):
 * a create answered "already exists" after an attempt whose fate is unknown was probably ours.
 *
 * It lives at module level on purpose: the engine deserializes the dynamic provider once per resource
 * type, but Node's module cache makes this module a singleton per provider process.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface PolicySettings {
  maxConcurrency: number;
  windowRequests: number;
  windowMs: number;
  maxRetries: number;
  attemptTimeoutMs: number;
  /** First backoff delay; doubles per retry up to maxDelayMs, then jittered to 50-100 %. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Where retries are reported (default: one line on stderr each). */
  report: (line: string) => void;
}

export interface PolicyStats {
  attempts: number;
  retries: number;
  /** Retries by cause: "429", "503", "connection", "timeout", ... */
  retriesByCause: Record<string, number>;
  inFlight: number;
  peakInFlight: number;
  queuedForRateLimit: number;
}

/** One attempt of a call, as the policy saw it end. */
export interface AttemptOutcome {
  startedAt: number;
  status?: number;
  /** Set when no HTTP answer came back: the request may or may not have been applied. */
  failure?: "connection" | "timeout";
}

/** The attempts of one logical call (all its retries), collected while `withCallRecord` runs it. */
export class CallRecord {
  readonly attempts: AttemptOutcome[] = [];

  /** Whether some attempt may have been applied by Cloudflare although no success answer said so. */
  get mayHaveApplied(): boolean {
    return this.attempts.some((a) => a.failure !== undefined || (a.status !== undefined && a.status >= 500));
  }

  /** When the first attempt left (undefined before any did). */
  get firstSentAt(): number | undefined {
    return this.attempts[0]?.startedAt;
  }
}

const currentCall = new AsyncLocalStorage<CallRecord>();

/** Runs `call` with every attempt it makes recorded into `record`. */
export function withCallRecord<T>(record: CallRecord, call: () => Promise<T>): Promise<T> {
  return currentCall.run(record, call);
}

function parseRateLimit(value: string | undefined): { windowRequests: number; windowMs: number } {
  // "1200/300" = 1200 requests per 300 seconds.
  const match = value?.match(/^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/);
  if (!match) return { windowRequests: 1200, windowMs: 300_000 };
  return { windowRequests: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

function positiveNumber(value: string | undefined, fallback: number, integer: boolean): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && n >= 0 && (!integer || Number.isInteger(n)) ? n : fallback;
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PolicySettings {
  return {
    maxConcurrency: Math.max(1, positiveNumber(env.CLOUDFLARE_WFP_MAX_CONCURRENCY, 16, true)),
    ...parseRateLimit(env.CLOUDFLARE_WFP_RATE_LIMIT),
    maxRetries: positiveNumber(env.CLOUDFLARE_WFP_MAX_RETRIES, 6, true),
    attemptTimeoutMs: positiveNumber(env.CLOUDFLARE_WFP_REQUEST_TIMEOUT, 60, false) * 1000 || 60_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    report: (line) => process.stderr.write(`${line}\n`),
  };
}

let settings = settingsFromEnvironment();
const stats: PolicyStats = { attempts: 0, retries: 0, retriesByCause: {}, inFlight: 0, peakInFlight: 0, queuedForRateLimit: 0 };
const waiting: Array<() => void> = [];
/** Start times of the requests inside the current window, oldest first. */
const recentStarts: number[] = [];
/** After a 429, no request of this process leaves before this time (epoch ms). */
let pausedUntil = 0;
/** Requests that have left so far: numbers them, so an answer's budget can discount those sent after it. */
let sent = 0;
/**
 * What the latest-sent answered request said of the user's window: `remaining` requests allowed as of
 * request number `seq`, until `resetAt` frees the next slot. Undefined when Cloudflare sends no such header.
 */
let serverBudget: { seq: number; remaining: number; resetAt: number } | undefined;
/** While Cloudflare's budget is spent, one request a second goes out after the reset to learn the new one. */
const PROBE_INTERVAL_MS = 1000;
/** Until the process's first answer (which may say the window is nearly spent), one request at a time. */
let firstAnswer = deferred();

function deferred(): { promise: Promise<void>; settled: boolean; settle(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const d = {
    promise,
    settled: false,
    settle() {
      d.settled = true;
      resolve();
    },
  };
  return d;
}

export function configurePolicy(next: Partial<PolicySettings>): void {
  settings = { ...settings, ...next };
}

export function policySettings(): Readonly<PolicySettings> {
  return settings;
}

export function policyStats(): Readonly<PolicyStats> {
  return { ...stats, retriesByCause: { ...stats.retriesByCause } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- concurrency cap and rate window --------------------------------------------------------------

async function acquireSlot(): Promise<void> {
  if (stats.inFlight >= settings.maxConcurrency) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  stats.inFlight++;
  stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
}

function releaseSlot(): void {
  stats.inFlight--;
  const next = waiting.shift();
  if (next) next();
}

/** Waits until both this process's window and Cloudflare's last word allow a request; returns its number. */
async function awaitRateWindow(): Promise<number> {
  for (;;) {
    const now = Date.now();
    if (now < pausedUntil) {
      await sleep(pausedUntil - now);
      continue;
    }
    if (sent > 0 && !firstAnswer.settled) {
      await firstAnswer.promise;
      continue;
    }
    if (serverBudget && sent - serverBudget.seq >= serverBudget.remaining) {
      if (now < serverBudget.resetAt) {
        stats.queuedForRateLimit++;
        await sleep(Math.min(serverBudget.resetAt - now + 1, settings.windowMs));
        continue;
      }
      // A slot has freed: let one request go, and hold the rest until its answer tells the new budget.
      serverBudget = { seq: sent, remaining: 1, resetAt: now + PROBE_INTERVAL_MS };
    }
    while (recentStarts.length > 0 && now - recentStarts[0] >= settings.windowMs) recentStarts.shift();
    if (recentStarts.length < settings.windowRequests) {
      recentStarts.push(now);
      return ++sent;
    }
    stats.queuedForRateLimit++;
    await sleep(recentStarts[0] + settings.windowMs - now + 1);
  }
}

/**
 * Learns Cloudflare's view of the window from an answer to request number `seq`. Only the answer to
 * the latest-sent request counts: answers arrive out of order, and an older one has counted less.
 */
export function noteRateLimitHeaders(seq: number, headers: Headers, now = Date.now()): void {
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? NaN);
  if (!Number.isInteger(remaining) || remaining < 0) return;
  if (serverBudget && seq < serverBudget.seq) return;
  // An RFC 1123 date has whole seconds: the slot frees up to a second after the time it names.
  const reset = Date.parse(headers.get("x-ratelimit-reset") ?? "");
  const resetAt = Number.isNaN(reset) ? now + PROBE_INTERVAL_MS : reset + 1000;
  serverBudget = { seq, remaining, resetAt };
}

/** Forgets what Cloudflare said of the window (tests start each case from a fresh process's view). */
export function resetRateLimitView(): void {
  serverBudget = undefined;
  sent = 0;
  firstAnswer = deferred();
  recentStarts.length = 0;
  pausedUntil = 0;
}

// --- what is retried, and after how long -----------------------------------------------------------

/** Delay asked for by the answer: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of many tenants spread out. */
export function backoffMs(retry: number, random = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Cloudflare locks a user out for five minutes at most; a longer Retry-After is not believed. */
const MAX_RETRY_AFTER_MS = 300_000;

function isRetryableStatus(status: number): boolean {
  // 409 is not retried: Cloudflare uses it for real conflicts, and never for "already exists" (400).
  return status === 429 || status === 408 || status >= 500;
}

class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out: no answer from Cloudflare within ${ms / 1000} s`);
    this.name = "TimeoutError";
  }
}

/** A body sent once cannot be sent again (a stream); anything else (string, FormData, Blob) can. */
function isReplayable(body: RequestInit["body"]): boolean {
  if (body === undefined || body === null) return true;
  return !(body instanceof ReadableStream) && !(typeof body === "object" && Symbol.asyncIterator in body);
}

function describeRequest(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return `${(init?.method ?? "GET").toUpperCase()} ${new URL(url).pathname}`;
}

/** One attempt on the wire, with its own timeout; the caller's signal (the SDK's deadline) still applies. */
async function attemptOnce(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Promise<Response> {
  const controller = new AbortController();
  const outer = init?.signal;
  if (outer?.aborted) throw outer.reason;
  outer?.addEventListener("abort", () => controller.abort(outer.reason), { once: true });
  const timer = setTimeout(() => controller.abort(new AttemptTimeoutError(settings.attemptTimeoutMs)), settings.attemptTimeoutMs);
  try {
    return await fetch(input, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer); // the answer's headers arrived: the body is the SDK's to read
  }
}

/** A `fetch` with the policy applied; handed to the SDK so every call, raw or typed, goes through it. */
export const policedFetch: typeof fetch = async (input, init) => {
  const record = currentCall.getStore();
  const what = describeRequest(input, init);
  const retries = isReplayable(init?.body) ? settings.maxRetries : 0;
  for (let retry = 0; ; retry++) {
    await acquireSlot();
    const outcome: AttemptOutcome = { startedAt: Date.now() };
    let result: { response: Response } | { error: unknown };
    try {
      const seq = await awaitRateWindow();
      outcome.startedAt = Date.now();
      stats.attempts++;
      result = { response: await attemptOnce(input, init) };
      outcome.status = result.response.status;
      noteRateLimitHeaders(seq, result.response.headers);
    } catch (error) {
      result = { error };
      outcome.failure = error instanceof AttemptTimeoutError ? "timeout" : "connection";
    } finally {
      firstAnswer.settle(); // answered or not, the first attempt has ended: no longer hold the others
      releaseSlot();
    }
    record?.attempts.push(outcome);

    const cause = outcome.failure ?? String(outcome.status);
    const retryable = "error" in result ? !init?.signal?.aborted : isRetryableStatus(result.response.status);
    if (!retryable || retry >= retries) {
      if ("error" in result) throw result.error;
      return result.response;
    }
    const asked = "response" in result ? retryAfterMs(result.response.headers) : undefined;
    const delay = asked !== undefined ? Math.min(asked, MAX_RETRY_AFTER_MS) : backoffMs(retry);
    if ("response" in result) {
      if (result.response.status === 429) pausedUntil = Math.max(pausedUntil, Date.now() + delay);
      await result.response.body?.cancel().catch(() => undefined); // free the connection
    }
    stats.retries++;
    stats.retriesByCause[cause] = (stats.retriesByCause[cause] ?? 0) + 1;
    const why = "error" in result ? (outcome.failure === "timeout" ? "timed out" : "failed to connect or lost its answer") : `was answered HTTP ${cause}`;
    settings.report(`cloudflare-wfp: ${what} ${why}; retry ${retry + 1} of ${retries} in ${(delay / 1000).toFixed(1)} s`);
    await sleep(delay);
  }
};
