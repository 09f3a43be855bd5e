/**
 * When may the next request of this process leave? Cloudflare's limit is per user (1200 requests per
 * five minutes, exceeding it blocks every call for five minutes), and other processes with the same
 * token (another stack's `pulumi up`, CI, wrangler) spend it too. So a request waits for:
 *
 * - the pause after a 429: no request of the process leaves before the Retry-After has passed;
 * - this process's own windows: the configured one (CLOUDFLARE_WFP_RATE_LIMIT) and every quota
 *   Cloudflare announces in `Ratelimit-Policy` (the per-user and per-IP limits): counted on its own
 *   sends, so it holds even when no answer says what is left;
 * - Cloudflare's documented 200 requests per second per IP, counted on this process's sends even when
 *   no answer announces it;
 * - what Cloudflare says is left (`Ratelimit`, rate-limit-headers.ts): at most a share of it may be
 *   unanswered at once, so a few processes reading the same number cannot together overspend it,
 *   and a small reserve is never spent by paced sends; when only the reserve is left, nothing leaves
 *   before the reset, then one request (a probe) learns the new budget. A limit of a few seconds'
 *   window beside the budget (the per-IP one) keeps no reserve: it refills within seconds, with no
 *   probe to leave room for. All that is left of it may be unanswered while its answers count no more
 *   than this process's own sends; once they show other processes on the host spending it, it is
 *   shared out as the budget is. (A share of it always would hold one process to a couple of dozen
 *   requests in flight: a few per second when an upload takes seconds to answer.)
 *
 * One instance per request policy; the clock is injectable so the rules can be tested alone.
 */
import { readRateLimit, type LimitLeft, type RatePolicy } from "./rate-limit-headers";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface BudgetSettings {
  /** This process's own window: at most `windowRequests` sends per `windowMs`. */
  windowRequests: number;
  windowMs: number;
  /**
   * How many processes may share one user's budget without overspending it (default 4). Each keeps
   * at most 1/(2·sharers) of what is left unanswered: an answer does not count what the others
   * have in flight, so with every view that stale the sum stays within what is left.
   */
  budgetSharers: number;
}

/**
 * Cloudflare's per-IP limit, "Client API per IP 200/second" (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
 * Kept whether or not an answer announces it: other processes on the host spend it too, so it is a ceiling, not a share.
 */
export const PER_IP_LIMIT: RatePolicy = { name: "documented per-IP", quota: 200, windowMs: 1000 };
/**
 * Each window is counted on this process's sends over its length plus this much. Cloudflare counts
 * arrivals, which trail the sends by a delay that varies (the network, the server's own queue): sends
 * paced to exactly 200 in any second arrive, now and then, as 201 in one of Cloudflare's seconds. How
 * Cloudflare counts a window is not documented; 50 ms holds the per-IP rate to about 190 per second.
 */
const ARRIVAL_SLACK_MS = 50;
/** A limit whose window is at most this long refills within seconds: what is left of it is not shared out. */
const SHORT_WINDOW_MS = 10_000;

/** While Cloudflare's budget is spent, one request a second goes out after the reset to learn the new one. */
const PROBE_INTERVAL_MS = 1000;
/** A view of a per-second cap older than this may have been spent by other processes meanwhile: refresh it with one request first. */
const STALE_AFTER_MS = 500;
/**
 * How long a rate cap stays shared out after an answer last showed others spending it: five minutes,
 * Cloudflare's budget window. Processes that wait out the same budget start sending again at the same
 * moment, each reading the cap as untouched, so a quiet spell does not mean the others have stopped.
 */
const OTHERS_REMEMBERED_MS = 300_000;

/** What the latest-sent answered request said: `remaining` as of request number `seq`, until `resetAt`. */
interface ServerView {
  seq: number;
  remaining: number;
  resetAt: number;
  learnedAt: number;
  /** A probe after the reset: exactly one request may be unanswered. */
  probe?: boolean;
  /** A rate cap beside the budget (isRateCap): what is left may be unanswered, with no reserve. */
  short?: boolean;
  /** A rate cap whose answer counted more than this process's sends: others on the host spend it, so it is shared out. */
  shared?: boolean;
}

export class RateBudget {
  /** How often a request had to wait for a window or Cloudflare's budget. */
  queued = 0;
  /** Sends inside the longest window, oldest first (epoch ms). */
  private readonly starts: number[] = [];
  private readonly announced = new Map<string, RatePolicy>();
  private pausedUntil = 0;
  /** Requests that have left so far: numbers them, so an answer's budget can discount those sent after it. */
  private sent = 0;
  private inFlight = 0;
  private view: ServerView | undefined;
  /** When an answer last counted more of a rate cap than this process had sent (epoch ms). */
  private othersSeenAt = -Infinity;
  private firstAnswer = deferred();
  /** Settled (and renewed) whenever an attempt ends: what waits for an answer wakes then. */
  private nextAnswer = deferred();

  constructor(
    private readonly settings: () => BudgetSettings,
    private readonly clock: Clock = realClock,
  ) {}

  /** Waits until a request may leave, counts it as sent, and returns its number. */
  async acquire(): Promise<number> {
    for (;;) {
      const now = this.clock.now();
      const wait = this.waitFor(now);
      if (wait === "first-answer" || wait === "answer") {
        await (wait === "first-answer" ? this.firstAnswer : this.nextAnswer).promise;
        continue;
      }
      if (wait > 0) {
        if (now >= this.pausedUntil) this.queued++;
        await this.clock.sleep(wait);
        continue;
      }
      this.starts.push(now);
      this.inFlight++;
      return ++this.sent;
    }
  }

  /**
   * Request `seq` has ended, with an answer's headers or without any (connection lost, timed out).
   * Only the answer to the latest-sent request updates the view: answers arrive out of order, and an
   * older one has counted less.
   */
  ended(seq: number, headers?: Headers): void {
    this.inFlight--;
    this.firstAnswer.settle();
    const now = this.clock.now();
    const reading = headers && readRateLimit(headers, now);
    if (reading) {
      for (const policy of reading.policies) this.announced.set(policy.name, policy);
      if (!this.view || seq >= this.view.seq) {
        if (reading.limits.some((l) => isRateCap(l, reading.limits) && this.othersSpend(l, seq))) this.othersSeenAt = now;
        const othersSeen = now - this.othersSeenAt < OTHERS_REMEMBERED_MS;
        const limit = this.mostConstraining(reading.limits, othersSeen);
        const short = isRateCap(limit, reading.limits);
        this.view = {
          seq,
          remaining: limit.remaining,
          resetAt: limit.resetAt ?? now + PROBE_INTERVAL_MS,
          learnedAt: now,
          ...(short ? { short } : {}),
          ...(short && othersSeen ? { shared: true } : {}),
        };
      }
    }
    const woken = this.nextAnswer;
    this.nextAnswer = deferred();
    woken.settle();
  }

  /** For progress lines: sends inside the configured window, and how long a send would wait now for the windows, the budget Cloudflare reported, or a 429's pause. */
  windowStatus(): { sentInWindow: number; windowRequests: number; windowMs: number; waitMs: number } {
    const now = this.clock.now();
    const { windowRequests, windowMs } = this.settings();
    const sentInWindow = this.starts.length - firstIndexAfter(this.starts, now - windowMs);
    return {
      sentInWindow,
      windowRequests,
      windowMs,
      waitMs: Math.max(0, this.pausedUntil - now, this.windowWait(now), this.reportedHold(now)),
    };
  }

  /** After a 429: no request leaves before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Milliseconds to wait before a send may leave (0 = now), or the answer to wait for. */
  private waitFor(now: number): number | "first-answer" | "answer" {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    // Until the process's first answer (which may say the budget is nearly spent), one request at a time.
    if (this.sent > 0 && !this.firstAnswer.settled) return "first-answer";
    const server = this.serverWait(now);
    if (server === "answer") return server;
    return Math.max(server, this.windowWait(now));
  }

  private serverWait(now: number): number | "answer" {
    let view = this.view;
    if (!view) return 0;
    if (this.inFlight === 0 && view.seq < this.sent) {
      // Every request has ended, some without a word on the budget: count them all as spent.
      view = this.view = { ...view, seq: this.sent, remaining: Math.max(0, view.remaining - (this.sent - view.seq)) };
    }
    const unanswered = this.sent - view.seq;
    const usable = this.usableOf(view, now);
    if (unanswered < usable) return 0;
    if (usable >= 1) return "answer"; // requests in flight: their answers tell more
    if (now < view.resetAt) return view.resetAt - now + 1;
    // Capacity has freed: let one request go, and hold the rest until its answer tells the new budget.
    this.view = { seq: this.sent, remaining: 1, resetAt: now + PROBE_INTERVAL_MS, learnedAt: now, probe: true };
    return 0;
  }

  /**
   * How many requests may be unanswered against the budget `view` reports. A probe, or the refresh of a
   * view too old to trust, is one blind request; each process makes about one per window, so paced
   * sends leave a reserve of two per sharer for them.
   *
   * The others sharing the budget may have spent some of it since the view was learned: at most what
   * they can send meanwhile, each paced to Cloudflare's 200 requests per second per IP as this process
   * is. So a view's `remaining` is discounted by that much per second of its age: a view of a fresh
   * budget stays usable for a moment (a fleet's uploads follow the account check by about a second,
   * and an upload takes seconds to answer), and an older one lets one request through to learn the
   * budget again. A per-second cap (`short`) that other processes on the host spend ages the same way;
   * one this process alone spends refills rather than drains: past half a second, one request refreshes it.
   */
  private usableOf(view: ServerView, now: number): number {
    if (view.probe) return 1;
    const sharers = this.settings().budgetSharers;
    const asReported = this.usable(view.remaining, view, sharers);
    const ageMs = now - view.learnedAt;
    if (view.short && !view.shared) return ageMs > STALE_AFTER_MS ? Math.min(1, asReported) : asReported;
    const othersMayHaveSpent = ((sharers - 1) * PER_IP_LIMIT.quota * ageMs) / PER_IP_LIMIT.windowMs;
    return Math.max(this.usable(view.remaining - othersMayHaveSpent, view, sharers), Math.min(1, asReported));
  }

  /** How long the budget Cloudflare last reported holds the next send: until its reset, once as many as it allows are unanswered. */
  private reportedHold(now: number): number {
    const view = this.view;
    return view && this.sent - view.seq >= this.usableOf(view, now) ? Math.max(0, view.resetAt - now) : 0;
  }

  /**
   * How many requests may be unanswered against a limit with `remaining` left: a share of it, since the
   * other processes with the token (or on the host, for a per-second cap others are seen spending) read
   * the same number; all of a per-second cap this process alone spends. A per-second cap keeps no
   * reserve: it refills within the second, so no probe has to be left room for.
   */
  private usable(remaining: number, kind: { short?: boolean; shared?: boolean }, sharers: number): number {
    if (kind.short && !kind.shared) return remaining;
    const share = Math.floor(remaining / (2 * sharers));
    return kind.short ? share : Math.min(share, remaining - 2 * sharers);
  }

  /**
   * Whether answer `seq` counted more of rate cap `limit` than this process can have spent by then: its
   * sends within the cap's window up to that request, plus those sent just after it, which may have
   * arrived first.
   */
  private othersSpend(limit: LimitLeft, seq: number): boolean {
    if (limit.quota === undefined || limit.windowMs === undefined) return false;
    const index = this.starts.length - (this.sent - seq) - 1;
    if (index < 0) return false;
    const sentAt = this.starts[index];
    const ownUpTo = firstIndexAfter(this.starts, sentAt + ARRIVAL_SLACK_MS);
    const ownInWindow = ownUpTo - firstIndexAfter(this.starts, sentAt - limit.windowMs - ARRIVAL_SLACK_MS);
    return limit.quota - limit.remaining > ownInWindow;
  }

  /** The limit that lets the fewest requests be unanswered; between equals, the one that resets last. */
  private mostConstraining(limits: LimitLeft[], shared: boolean): LimitLeft {
    const sharers = this.settings().budgetSharers;
    const usable = (l: LimitLeft) => this.usable(l.remaining, { short: isRateCap(l, limits), shared }, sharers);
    return [...limits].sort((a, b) => usable(a) - usable(b) || (b.resetAt ?? Infinity) - (a.resetAt ?? Infinity))[0];
  }

  /** Every window (configured, documented and announced) counted on this process's own sends; the longest wait wins. */
  private windowWait(now: number): number {
    const { windowRequests, windowMs } = this.settings();
    const windows = [{ quota: windowRequests, windowMs }, PER_IP_LIMIT, ...this.announced.values()].map((w) => ({
      quota: w.quota,
      windowMs: w.windowMs + ARRIVAL_SLACK_MS,
    }));
    const longest = Math.max(...windows.map((w) => w.windowMs));
    while (this.starts.length > 0 && now - this.starts[0] >= longest) this.starts.shift();
    let wait = 0;
    for (const { quota, windowMs: w } of windows) {
      const inWindow = this.starts.length - firstIndexAfter(this.starts, now - w);
      // The oldest send that must leave the window before one more fits.
      if (inWindow >= quota) wait = Math.max(wait, this.starts[this.starts.length - quota] + w - now + 1);
    }
    return wait;
  }
}

/**
 * A limit of a few seconds' window beside a longer one (the per-IP rate beside the user's budget):
 * it refills within seconds, so none of it is kept in reserve for a probe. The longest limit of an
 * answer is the budget and keeps its reserve, however short its window.
 */
function isRateCap(limit: LimitLeft, all: LimitLeft[]): boolean {
  const longest = Math.max(...all.map((l) => l.windowMs ?? Infinity));
  return limit.windowMs !== undefined && limit.windowMs <= SHORT_WINDOW_MS && limit.windowMs < longest;
}

/** Index of the first element greater than `t` in an ascending array. */
function firstIndexAfter(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

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
