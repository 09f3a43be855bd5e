/**
 * How many requests of this process may be in flight now: a limit that follows what Cloudflare's
 * answers say, under the ceiling the user sets (CLOUDFLARE_WFP_MAX_CONCURRENCY).
 *
 * It starts at the ceiling. Cloudflare documents rates, not a number of requests in flight (1200 per
 * five minutes per user, 200 per second per IP: developers.cloudflare.com/fundamentals/api/reference/limits),
 * and the rate budget (rate-budget.ts) already holds the sends to those rates and to the budget the
 * answers report. Starting lower and doubling per round trip, as TCP's slow start does, costs a round
 * trip per doubling, and a round trip here is a script upload: seconds each (emulator/latency-model.ts).
 *
 * AIMD rather than a gradient (Vegas) limiter: a gradient limiter reads queueing from latency alone,
 * but Cloudflare's latency is mostly the work a request asks for (an upload takes seconds, a GET a
 * hundred milliseconds, and both vary by a factor of ten), not a queue, while what bounds this
 * provider is explicit: 429s, 5xx and the rate-limit headers. So loss decides, and latency only acts
 * on a clear rise within one kind of request:
 *
 * - a 429, 408, 5xx, timeout or lost connection halves it;
 * - a rise of latency (the recent average of a kind of request over twice its long-run one) takes a
 *   fifth off; kinds are kept apart, so uploads following reads are not a rise;
 * - at most one decrease per round trip: the answers of requests sent before it say nothing new;
 * - after a decrease, each answered request that is not an overload and not slower than usual adds
 *   1/limit (one per round trip), only while the limit is in use (at least half of it in flight),
 *   so a quiet phase does not grow it on no evidence.
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
  /** What kind of request it was (its method and body, e.g. "PUT multipart"): latency is compared within a kind. */
  kind?: string;
}

const LOSS_FACTOR = 0.5;
const LATENCY_FACTOR = 0.8;
/** The recent latency average follows about the last five answers; the long-run one about the last fifty. */
const RECENT_WEIGHT = 0.2;
const LONG_RUN_WEIGHT = 0.02;
/** Answers of a kind before its latency averages are trusted to signal a rise. */
const LATENCY_WARMUP = 10;
const RISE_RATIO = 2;

const isOverload = (s: AttemptSignal) => s.status === undefined || s.status === 429 || s.status === 408 || s.status >= 500;

/** Latency averages of one kind of request. */
interface LatencyTrack {
  recentMs: number;
  longRunMs: number;
  samples: number;
}

export class ConcurrencyLimit {
  /** Unbounded (the ceiling, wherever the user sets it) until Cloudflare's answers first make it shrink. */
  private limit = Infinity;
  private everDecreased = false;
  private readonly latency = new Map<string, LatencyTrack>();
  /** The recent latency of the kind last answered: how long a round trip is now. */
  private roundTripMs = 0;
  private lastDecreaseAt = -Infinity;

  constructor(
    /** The user's ceiling, read at each use (it can be configured while requests run). */
    private readonly ceiling: () => number,
    private readonly clock: Clock,
  ) {}

  /** Requests that may be in flight now: at least 1, never above the ceiling. */
  get current(): number {
    return Math.max(1, Math.min(Math.floor(this.limit), this.ceiling()));
  }

  /** Whether Cloudflare's answers have ever made it shrink. */
  get hasDecreased(): boolean {
    return this.everDecreased;
  }

  /** An attempt ended (answered or not): grow, hold or shrink. */
  ended(signal: AttemptSignal): void {
    const rising = signal.latencyMs !== undefined && this.observeLatency(signal.kind ?? "", signal.latencyMs);
    if (isOverload(signal)) return this.decrease(LOSS_FACTOR);
    if (rising) return this.decrease(LATENCY_FACTOR);
    if (!this.everDecreased) return; // still at the ceiling
    if (signal.inFlight * 2 < this.current) return; // the limit is not what holds requests back
    this.limit = Math.min(this.ceiling(), this.limit + 1 / this.limit);
  }

  /** Updates the averages of `kind`; true when its recent one has risen well above its long-run one. */
  private observeLatency(kind: string, ms: number): boolean {
    let track = this.latency.get(kind);
    if (track === undefined) this.latency.set(kind, (track = { recentMs: 0, longRunMs: 0, samples: 0 }));
    track.samples++;
    // A plain mean until there are enough samples for the weight, so the first answer does not set the baseline.
    track.recentMs += Math.max(RECENT_WEIGHT, 1 / track.samples) * (ms - track.recentMs);
    track.longRunMs += Math.max(LONG_RUN_WEIGHT, 1 / track.samples) * (ms - track.longRunMs);
    this.roundTripMs = track.recentMs;
    return track.samples > LATENCY_WARMUP && track.recentMs > RISE_RATIO * track.longRunMs;
  }

  private decrease(factor: number): void {
    const now = this.clock.now();
    // Requests in flight were sent under the old limit: their answers repeat the news for a round trip.
    if (now - this.lastDecreaseAt < this.roundTripMs) return;
    this.lastDecreaseAt = now;
    this.everDecreased = true;
    this.limit = Math.max(1, Math.min(this.limit, this.ceiling()) * factor);
  }
}
