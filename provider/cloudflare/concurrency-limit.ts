/**
 * How many requests of this process may be in flight now: a limit that follows what Cloudflare's
 * answers say, under the ceiling the user sets (CLOUDFLARE_WFP_MAX_CONCURRENCY).
 *
 * AIMD with slow start, as TCP does, rather than a gradient (Vegas) limiter: a gradient limiter reads
 * queueing from latency alone, but Cloudflare's latency is mostly the work a request asks for (an
 * upload takes seconds, a GET a hundred milliseconds, and both vary by a factor of ten), not a queue,
 * while what bounds this provider is explicit: 429s, 5xx and the rate-limit headers (rate-budget.ts).
 * So loss decides, and latency only acts on a clear rise:
 *
 * - growth: each answered request whose latency is not rising adds one while in slow start (the limit
 *   doubles per round trip), then 1/limit (one per round trip); only while the limit is in use (at
 *   least half of it in flight), so a quiet phase does not grow it on no evidence;
 * - a 429, 408, 5xx, timeout or lost connection halves it and ends slow start;
 * - a rise of latency (the recent average over twice the long-run one) takes a fifth off;
 * - at most one decrease per round trip: the answers of requests sent before it say nothing new.
 *
 * The clock is injectable so the rules can be tested alone.
 */
import type { Clock } from "./rate-budget";

/** What one attempt's end tells the limit. */
export interface AttemptSignal {
  /** HTTP status of the answer; undefined when none came (timeout, lost connection). */
  status?: number;
  /** From when the request left to its answer's headers, ms. */
  latencyMs?: number;
  /** Requests on the wire (sent, not yet answered) when it ended, itself included. */
  inFlight: number;
}

/** Where the limit starts: the fixed cap this provider used before it adapted, known to be safe. */
export const INITIAL_LIMIT = 16;
const LOSS_FACTOR = 0.5;
const LATENCY_FACTOR = 0.8;
/** The recent latency average follows about the last five answers; the long-run one about the last fifty. */
const RECENT_WEIGHT = 0.2;
const LONG_RUN_WEIGHT = 0.02;
/** Answers before the latency averages are trusted to signal a rise. */
const LATENCY_WARMUP = 10;
const RISE_RATIO = 2;

const isOverload = (s: AttemptSignal) => s.status === undefined || s.status === 429 || s.status === 408 || s.status >= 500;

export class ConcurrencyLimit {
  private limit: number;
  private slowStart = true;
  private recentMs = 0;
  private longRunMs = 0;
  private samples = 0;
  private lastDecreaseAt = -Infinity;

  constructor(
    /** The user's ceiling, read at each use (it can be configured while requests run). */
    private readonly ceiling: () => number,
    private readonly clock: Clock,
  ) {
    this.limit = Math.min(INITIAL_LIMIT, ceiling());
  }

  /** Requests that may be in flight now: at least 1, never above the ceiling. */
  get current(): number {
    return Math.max(1, Math.min(Math.floor(this.limit), this.ceiling()));
  }

  /** Whether the limit still doubles per round trip (no overload seen yet). */
  get inSlowStart(): boolean {
    return this.slowStart;
  }

  /** An attempt ended (answered or not): grow, hold or shrink. */
  ended(signal: AttemptSignal): void {
    const rising = signal.latencyMs !== undefined && this.observeLatency(signal.latencyMs);
    if (isOverload(signal)) return this.decrease(LOSS_FACTOR);
    if (rising) return this.decrease(LATENCY_FACTOR);
    if (signal.inFlight * 2 < this.current) return; // the limit is not what holds requests back
    this.limit = Math.min(this.ceiling(), this.limit + (this.slowStart ? 1 : 1 / this.limit));
  }

  /** Updates the averages; true when the recent one has risen well above the long-run one. */
  private observeLatency(ms: number): boolean {
    this.samples++;
    // A plain mean until there are enough samples for the weight, so the first answer does not set the baseline.
    this.recentMs += Math.max(RECENT_WEIGHT, 1 / this.samples) * (ms - this.recentMs);
    this.longRunMs += Math.max(LONG_RUN_WEIGHT, 1 / this.samples) * (ms - this.longRunMs);
    return this.samples > LATENCY_WARMUP && this.recentMs > RISE_RATIO * this.longRunMs;
  }

  private decrease(factor: number): void {
    const now = this.clock.now();
    // Requests in flight were sent under the old limit: their answers repeat the news for a round trip.
    if (now - this.lastDecreaseAt < this.recentMs) return;
    this.lastDecreaseAt = now;
    this.slowStart = false;
    this.limit = Math.max(1, Math.min(this.limit, this.ceiling()) * factor);
  }
}
