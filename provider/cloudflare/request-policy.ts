/**
 * The request policy shared by every Cloudflare call in this provider process, whatever resource made it.
 * It is the only place that decides how a request reaches Cloudflare:
 *
 * - how many requests are in flight: a limit that starts at the ceiling (Cloudflare documents rates,
 *   which the rate budget below keeps), shrinks on 429s, 5xx and rising latency and grows back while
 *   answers come back fast (concurrency-limit.ts), never above
 *   CLOUDFLARE_WFP_MAX_CONCURRENCY (default 200, Cloudflare's per-IP requests per second: a lower
 *   setting is a ceiling the user keeps);
 * - Cloudflare's rate limit (rate-budget.ts): a client-side window matching its 1200 requests per 5
 *   minutes per user (CLOUDFLARE_WFP_RATE_LIMIT "1200/300") and every quota it announces, so a
 *   thousand-tenant `pulumi up` queues here instead of being locked out for five minutes; and what
 *   Cloudflare says is left (`Ratelimit`), because other commands and tools spend it too;
 * - retries (CLOUDFLARE_WFP_MAX_RETRIES, default 6) of 429, 408, 5xx, connection errors and
 *   timeouts, with exponential backoff and jitter; Retry-After is honoured, and a 429 pauses every
 *   request of the process, because Cloudflare's limit is per user, not per request;
 * - a timeout per attempt (CLOUDFLARE_WFP_REQUEST_TIMEOUT seconds, default 60), counted from when the
 *   request leaves, never while it queues.
 * Other 4xx answers are final and go straight back to the caller (errors.ts words them).
 *
 * No other layer retries (api.ts sends each attempt once): with two retry loops neither would see the whole story.
 * Each retry is written to stderr, which the engine shows in `pulumi up` output, and counted in
 * `snapshot()`. A caller can also ask what happened to the attempts of one call (`CallRecord`):
 * a create answered "already exists" after an attempt whose fate is unknown was probably ours.
 *
 * Its state is a `RequestPolicy` object, one per provider process: the process's context
 * (provider/context.ts) holds it. Tests make their own instances.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ConcurrencyLimit } from "./concurrency-limit";
import { RateBudget, realClock, type Clock } from "./rate-budget";

export interface PolicySettings {
  /** The ceiling of the adaptive in-flight limit. */
  maxConcurrency: number;
  windowRequests: number;
  windowMs: number;
  /** How many processes may share one user's rate budget without overspending it (rate-budget.ts). */
  budgetSharers: number;
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
  /** Requests that may be in flight now (the adaptive limit). */
  concurrencyLimit: number;
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

/**
 * The default ceiling: Cloudflare's 200 requests per second per IP (fundamentals/api/reference/limits).
 * At a second's latency that many in flight is that rate; the rate budget paces the sends themselves.
 */
export const DEFAULT_MAX_CONCURRENCY = 200;

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PolicySettings {
  return {
    maxConcurrency: Math.max(1, positiveNumber(env.CLOUDFLARE_WFP_MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY, true)),
    ...parseRateLimit(env.CLOUDFLARE_WFP_RATE_LIMIT),
    budgetSharers: 4,
    maxRetries: positiveNumber(env.CLOUDFLARE_WFP_MAX_RETRIES, 6, true),
    attemptTimeoutMs: positiveNumber(env.CLOUDFLARE_WFP_REQUEST_TIMEOUT, 60, false) * 1000 || 60_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    report: (line) => process.stderr.write(`${line}\n`),
  };
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

/** A body sent once cannot be sent again (a stream); anything else (string, bytes, FormData, Blob) can. */
function isReplayable(body: RequestInit["body"]): boolean {
  if (body === undefined || body === null) return true;
  return !(body instanceof ReadableStream) && !(typeof body === "object" && Symbol.asyncIterator in body);
}

function describeRequest(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return `${(init?.method ?? "GET").toUpperCase()} ${new URL(url).pathname}`;
}

/** What kind of work a request asks for, as far as its latency goes: its method and whether it carries a form (an upload). */
function requestKind(init: RequestInit | undefined): string {
  const multipart = /^multipart\//i.test(new Headers(init?.headers).get("content-type") ?? "");
  return `${(init?.method ?? "GET").toUpperCase()}${multipart ? " multipart" : ""}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Refused before it was sent: the policy was stopped (the engine that started this provider is gone). */
export class PolicyStoppedError extends Error {
  constructor(
    readonly reason: string,
    what: string,
  ) {
    super(`${what} was not sent: ${reason}`);
    this.name = "PolicyStoppedError";
  }
}

/** The policy's state: settings, counters, the concurrency queue and the rate budget. */
export class RequestPolicy {
  private settings: PolicySettings;
  /** Why no request may start any more, once stopped. */
  private stoppedBecause: string | undefined;
  /** Attempts sent and not yet answered (those queued for a slot or the rate window are not). */
  private onWire = 0;
  private readonly drained: Array<() => void> = [];
  private readonly stats: Omit<PolicyStats, "concurrencyLimit"> = {
    attempts: 0,
    retries: 0,
    retriesByCause: {},
    inFlight: 0,
    peakInFlight: 0,
    queuedForRateLimit: 0,
  };
  /** Callers waiting for a slot; each is handed its slot already counted in `inFlight`. */
  private readonly waiting: Array<() => void> = [];
  private readonly budget: RateBudget;
  private readonly limit: ConcurrencyLimit;

  constructor(
    settings: PolicySettings = settingsFromEnvironment(),
    private readonly clock: Clock = realClock,
  ) {
    this.settings = settings;
    this.budget = new RateBudget(() => this.settings, clock);
    this.limit = new ConcurrencyLimit(() => this.settings.maxConcurrency, clock);
  }

  configure(next: Partial<PolicySettings>): void {
    this.settings = { ...this.settings, ...next };
    this.admit();
  }

  current(): Readonly<PolicySettings> {
    return this.settings;
  }

  snapshot(): Readonly<PolicyStats> {
    return {
      ...this.stats,
      retriesByCause: { ...this.stats.retriesByCause },
      queuedForRateLimit: this.budget.queued,
      concurrencyLimit: this.limit.current,
    };
  }

  /** Where the rate window stands (rate-budget.ts `windowStatus`), for progress lines. */
  rateStatus(): ReturnType<RateBudget["windowStatus"]> {
    return this.budget.windowStatus();
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries of many tenants spread out. */
  backoffMs(retry: number, random = Math.random): number {
    const ceiling = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** retry);
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  }

  /** A `fetch` with the policy applied: api.ts sends every request with it. */
  readonly fetch: typeof fetch = async (input, init) => {
    const record = currentCall.getStore();
    const what = describeRequest(input, init);
    const kind = requestKind(init);
    const retries = isReplayable(init?.body) ? this.settings.maxRetries : 0;
    for (let retry = 0; ; retry++) {
      await this.acquireSlot();
      const outcome: AttemptOutcome = { startedAt: Date.now() };
      let result: { response: Response } | { error: unknown };
      let seq: number | undefined;
      let sentAt: number | undefined;
      try {
        seq = await this.budget.acquire();
        // Checked last, after every wait: a stopped policy sends nothing more, not even a retry.
        if (this.stoppedBecause !== undefined) throw new PolicyStoppedError(this.stoppedBecause, what);
        outcome.startedAt = Date.now();
        sentAt = this.clock.now();
        this.stats.attempts++;
        this.onWire++;
        try {
          result = { response: await this.attemptOnce(input, init) };
        } finally {
          if (--this.onWire === 0) this.drained.splice(0).forEach((resolve) => resolve());
        }
        outcome.status = result.response.status;
      } catch (error) {
        result = { error };
        outcome.failure = error instanceof AttemptTimeoutError ? "timeout" : "connection";
      } finally {
        // Answered or not, the attempt has ended: what it said of the budget frees or holds the others.
        if (seq !== undefined) this.budget.ended(seq, "response" in result! ? result.response.headers : undefined);
        if (sentAt !== undefined && !init?.signal?.aborted) {
          // What the attempt says of Cloudflare's load, before its slot is given to the next request.
          const answered = "response" in result! ? { status: result.response.status, latencyMs: this.clock.now() - sentAt } : {};
          // On the wire, itself included: slots held by requests the rate budget is pacing say nothing of Cloudflare.
          this.limit.ended({ ...answered, inFlight: this.onWire + 1, kind });
        }
        this.releaseSlot();
      }
      if ("error" in result && result.error instanceof PolicyStoppedError) throw result.error; // never sent: nothing to record
      record?.attempts.push(outcome);

      const cause = outcome.failure ?? String(outcome.status);
      const retryable = "error" in result ? !init?.signal?.aborted : isRetryableStatus(result.response.status);
      if (!retryable || retry >= retries) {
        if ("error" in result) throw result.error;
        return result.response;
      }
      const asked = "response" in result ? retryAfterMs(result.response.headers) : undefined;
      const delay = asked !== undefined ? Math.min(asked, MAX_RETRY_AFTER_MS) : this.backoffMs(retry);
      if ("response" in result) {
        // Cloudflare's limit is per user: after a 429 no request of this process goes before the delay.
        if (result.response.status === 429) this.budget.pause(delay);
        await result.response.body?.cancel().catch(() => undefined); // free the connection
      }
      this.stats.retries++;
      this.stats.retriesByCause[cause] = (this.stats.retriesByCause[cause] ?? 0) + 1;
      const why =
        "error" in result
          ? outcome.failure === "timeout"
            ? "timed out"
            : "failed to connect or lost its answer"
          : `was answered HTTP ${cause}`;
      this.settings.report(`cloudflare-wfp: ${what} ${why}; retry ${retry + 1} of ${retries} in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
    }
  };

  /**
   * No request starts from now on (queued ones and retries are refused with PolicyStoppedError);
   * the returned promise resolves once the requests already sent have their answers.
   */
  stop(reason: string): Promise<void> {
    this.stoppedBecause ??= reason;
    return this.onWire === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }

  private async acquireSlot(): Promise<void> {
    if (this.waiting.length > 0 || this.stats.inFlight >= this.limit.current) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.stats.inFlight++;
    }
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.stats.inFlight);
  }

  private releaseSlot(): void {
    this.stats.inFlight--;
    this.admit();
  }

  /** Hands free slots to waiting callers, in order: after an answer, and after the limit grew or was configured. */
  private admit(): void {
    while (this.waiting.length > 0 && this.stats.inFlight < this.limit.current) {
      this.stats.inFlight++;
      this.waiting.shift()!();
    }
  }

  /** One attempt on the wire, with its own timeout; the caller's signal (the SDK's deadline) still applies. */
  private async attemptOnce(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): Promise<Response> {
    const controller = new AbortController();
    const outer = init?.signal;
    if (outer?.aborted) throw outer.reason;
    outer?.addEventListener("abort", () => controller.abort(outer.reason), { once: true });
    const ms = this.settings.attemptTimeoutMs;
    const timer = setTimeout(() => controller.abort(new AttemptTimeoutError(ms)), ms);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer); // the answer's headers arrived: the body is the caller's to read
    }
  }
}
