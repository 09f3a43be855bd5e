/**
 * When may the next request of this process leave? Cloudflare's limit is per user (1200 requests per
 * five minutes, exceeding it blocks every call for five minutes), and other processes with the same
 * token (another stack's `pulumi up`, CI, wrangler) spend it too. So a request waits for:
 *
 * - the pause after a 429: no request of the process leaves before the Retry-After has passed;
 * - this process's own windows: the configured one (CLOUDFLARE_WFP_RATE_LIMIT) and every quota
 *   Cloudflare announces in `Ratelimit-Policy` (the per-user and per-IP limits): counted on its own
 *   sends, so it holds even when no answer says what is left;
 * - Cloudflare's documented 200 requests per second per IP, and any limit of a few seconds' window an
 *   answer announces beside the budget: a rate every process on the host spends, paced on this
 *   process's sends. While no answer announces one, all of it, in bursts, as nothing could tell whether
 *   others spend it. Once one does, a part of it (`rateCapPart`), sent evenly over the window except
 *   for a burst after a quiet spell, so that the answers count the other processes' sends among this
 *   one's: half until the answers show others on the host or show this process alone for a window
 *   and a half; the whole once alone; a sixth (with four sharers), then after three seconds a
 *   quarter, for five minutes after an answer last counted others. Half is what one process's first wave needs (a fleet's uploads after the
 *   account check, answered seconds later) and what one process of several that start together can
 *   take while the others, whose first answers showed its first request, take a sixth each: the
 *   first answers count only first requests, so no process can tell sooner how much the others will
 *   send. What is left of the rate is not used to hold sends: it counts arrivals up to a request
 *   that left an answer's time ago, and says nothing of the second now;
 * - what Cloudflare says is left of the budget (`Ratelimit`, rate-limit-headers.ts): at most a share
 *   of it may be unanswered at once, so a few processes reading the same number cannot together
 *   overspend it, and a small reserve is never spent by paced sends; when only the reserve is left,
 *   nothing leaves before the reset, then one request (a probe) learns the new budget.
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
   * How many processes may share one user's budget, or one host's per-IP rate, without overspending
   * it (default 4). Each keeps at most 1/(2·sharers) of what is left of the budget unanswered: an answer
   * does not count what the others have in flight, so with every view that stale the sum stays within
   * what is left. Of the per-IP rate, each process that has seen others keeps 1/(2·(sharers − 1)), room
   * for the others beside one process still sending at half of it, then 1/sharers once all have seen
   * one another (SETTLED_MS).
   */
  budgetSharers: number;
}

/**
 * Cloudflare's per-IP limit, "Client API per IP 200/second" (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
 * Paced whether or not an answer announces it; other processes on the host spend it too, so once an answer does, this
 * process takes the part of it that the answers allow (rateCapPart).
 */
export const PER_IP_LIMIT: RatePolicy = { name: "documented per-IP", quota: 200, windowMs: 1000 };
/**
 * Each window is counted on this process's sends over its length plus this much. Cloudflare counts
 * arrivals, which trail the sends by a delay that varies (the network, the server's own queue): sends
 * paced to exactly 200 in any second arrive, now and then, as 201 in one of Cloudflare's seconds. How
 * Cloudflare counts a window is not documented; 50 ms holds the per-IP rate to about 190 per second.
 */
const ARRIVAL_SLACK_MS = 50;
/** A limit whose window is at most this long refills within seconds: a rate, not a budget to share out. */
const SHORT_WINDOW_MS = 10_000;

/** While Cloudflare's budget is spent, one request a second goes out after the reset to learn the new one. */
const PROBE_INTERVAL_MS = 1000;
/**
 * How long a rate cap stays shared out after an answer last showed others spending it: five minutes,
 * Cloudflare's budget window. Processes that wait out the same budget start sending again at the same
 * moment, each reading the cap as untouched, so a quiet spell, or answers that count no one else's
 * while the others wait, do not mean the others have stopped.
 */
const OTHERS_REMEMBERED_MS = 300_000;
/**
 * What answers must show before a process takes the whole of a rate cap instead of half: answers that
 * counted no one else's sends, to sends over half a window, all sent at least a window after the
 * process's first answer or after it stopped sharing the cap out (a window of the per-IP rate with its
 * slack). Processes that start together send their first waves together: one process's wave may
 * arrive before all the others' in that second, and its next sends, a window later, just before
 * theirs. The others' waves or their evenly paced sends after them arrive within the window of one of
 * two such requests half a window apart.
 */
const ALONE_WINDOW_MS = PER_IP_LIMIT.windowMs + ARRIVAL_SLACK_MS;
/**
 * How long a process shares a rate cap out at 1/(2·(sharers − 1)) before it takes 1/sharers: by then
 * every process that started beside it, at half, has had answers counting the others and shares it
 * out too (three windows of the per-IP rate: the first answer, a window at half, the answers to it).
 * A process that starts later sees the others in its first answer and takes only what they leave.
 */
const SETTLED_MS = 3000;
/**
 * A process that has sent at most one request over this long (two windows of the per-IP rate) may send
 * all a rate cap allows it at once: a fleet's uploads after the account check, or the first sends after
 * the budget's reset. Otherwise its sends are spaced evenly; a burst whose window emptied would
 * otherwise be followed by the next at the same moment of every second, the others' too, so that one
 * process's requests could arrive before all of theirs, second after second, and never see them.
 */
const QUIET_MS = 2 * (PER_IP_LIMIT.windowMs + ARRIVAL_SLACK_MS);

/** What the latest-sent answered request said of the budget: `remaining` as of request number `seq`, until `resetAt`. */
interface ServerView {
  seq: number;
  remaining: number;
  resetAt: number;
  learnedAt: number;
  /** A probe after the reset: exactly one request may be unanswered. */
  probe?: boolean;
}

/**
 * How much of a rate cap this process takes (rateCapPart): "unsure" until answers show others on the
 * host spending it ("shared") or show this process alone ("alone").
 */
type RateCapMode = "unsure" | "alone" | "shared";

/** What answers have shown of the other processes spending the host's rate caps. */
interface RateCapEvidence {
  /** "shared" means: until OTHERS_REMEMBERED_MS after `othersSeenAt`. */
  mode: RateCapMode;
  /** When an answer last counted sends of other processes (epoch ms). */
  othersSeenAt: number;
  /** When this spell of sharing began (epoch ms). */
  sharedSince: number;
  /** The parts of the cap answers counted beyond this process's sends (0 to 1), by send time, over the latest window. */
  othersParts: { sentAt: number; part: number }[];
  /** Sends from this time on (epoch ms) whose answers count only this process's may let it take more. */
  cleanAfter: number;
  /** The earliest of those sends answered so (epoch ms; Infinity: none yet). */
  cleanFrom: number;
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
  /** Undefined until an answer announces a rate cap: without one, nothing tells whether others spend it. */
  private rateCaps: RateCapEvidence | undefined;
  /** When the latest burst after a quiet spell began (epoch ms): its sends leave at once. */
  private burstAt = -Infinity;
  private firstAnswer = deferred();
  /** Settled when the request last in line has left: the next one waits for it. */
  private line: Promise<void> = Promise.resolve();
  /** Settled (and renewed) whenever an attempt ends: what waits for an answer wakes then. */
  private nextAnswer = deferred();

  constructor(
    private readonly settings: () => BudgetSettings,
    private readonly clock: Clock = realClock,
  ) {}

  /**
   * Waits until a request may leave, counts it as sent, and returns its number. Requests leave in the
   * order they asked: only the first in line waits on the clock or an answer, not every one of hundreds.
   */
  async acquire(): Promise<number> {
    const ahead = this.line;
    let done!: () => void;
    this.line = new Promise((resolve) => (done = resolve));
    await ahead;
    try {
      return await this.firstInLine();
    } finally {
      done();
    }
  }

  private async firstInLine(): Promise<number> {
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
      if (this.sentWithin(now, QUIET_MS) <= 1) this.burstAt = now;
      this.starts.push(now);
      this.inFlight++;
      return ++this.sent;
    }
  }

  /**
   * Request `seq` has ended, with an answer's headers or without any (connection lost, timed out).
   * Only the answer to the latest-sent request updates the view of the budget: answers arrive out of
   * order, and an older one has counted less. Every answer may show others spending a rate cap.
   */
  ended(seq: number, headers?: Headers): void {
    this.inFlight--;
    this.firstAnswer.settle();
    const now = this.clock.now();
    const reading = headers && readRateLimit(headers, now);
    if (reading) {
      for (const policy of reading.policies) this.announced.set(policy.name, policy);
      this.noteRateCaps(reading.limits, seq, now);
      const budgets = reading.limits.filter((l) => !isRateCap(l, reading.limits));
      if (!this.view || seq >= this.view.seq) {
        const limit = this.mostConstraining(budgets);
        this.view = { seq, remaining: limit.remaining, resetAt: limit.resetAt ?? now + PROBE_INTERVAL_MS, learnedAt: now };
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
   * budget again.
   */
  private usableOf(view: ServerView, now: number): number {
    if (view.probe) return 1;
    const sharers = this.settings().budgetSharers;
    const asReported = this.usable(view.remaining, sharers);
    const ageMs = now - view.learnedAt;
    const othersMayHaveSpent = ((sharers - 1) * PER_IP_LIMIT.quota * ageMs) / PER_IP_LIMIT.windowMs;
    return Math.max(this.usable(view.remaining - othersMayHaveSpent, sharers), Math.min(1, asReported));
  }

  /** How long the budget Cloudflare last reported holds the next send: until its reset, once as many as it allows are unanswered. */
  private reportedHold(now: number): number {
    const view = this.view;
    return view && this.sent - view.seq >= this.usableOf(view, now) ? Math.max(0, view.resetAt - now) : 0;
  }

  /**
   * How many requests may be unanswered against a budget with `remaining` left: a share of it, since the
   * other processes with the token read the same number, short of a reserve for their probes.
   */
  private usable(remaining: number, sharers: number): number {
    return Math.min(Math.floor(remaining / (2 * sharers)), remaining - 2 * sharers);
  }

  /**
   * What answer `seq` shows of other processes spending the rate caps it reports. Other processes have
   * spent a cap when the answer counted more of it than this process can have sent by then: its sends
   * within the cap's window up to that request, plus those sent just after it, which may have arrived first.
   */
  private noteRateCaps(limits: LimitLeft[], seq: number, now: number): void {
    const caps = limits.filter((l) => isRateCap(l, limits) && l.quota !== undefined && l.windowMs !== undefined);
    const sentAt = this.sentAt(seq);
    if (caps.length === 0 || sentAt === undefined) return;
    const evidence = (this.rateCaps ??= {
      mode: "unsure",
      othersSeenAt: -Infinity,
      sharedSince: Infinity,
      othersParts: [],
      cleanAfter: now + ALONE_WINDOW_MS,
      cleanFrom: Infinity,
    });
    if (evidence.mode === "shared" && now - evidence.othersSeenAt >= OTHERS_REMEMBERED_MS) {
      Object.assign(evidence, { mode: "unsure", cleanAfter: now + ALONE_WINDOW_MS, cleanFrom: Infinity });
    }
    const part = Math.max(
      ...caps.map((cap) => {
        const ownUpTo = firstIndexAfter(this.starts, sentAt + ARRIVAL_SLACK_MS);
        const ownInWindow = ownUpTo - firstIndexAfter(this.starts, sentAt - cap.windowMs! - ARRIVAL_SLACK_MS);
        return Math.max(0, cap.quota! - cap.remaining - ownInWindow) / cap.quota!;
      }),
    );
    // The largest part over a window: a window that Cloudflare counts from a fixed start shows little early on.
    evidence.othersParts.push({ sentAt, part });
    const latest = Math.max(...evidence.othersParts.map((p) => p.sentAt));
    evidence.othersParts = evidence.othersParts.filter((p) => p.sentAt > latest - ALONE_WINDOW_MS);
    if (part > 0) {
      if (evidence.mode !== "shared") evidence.sharedSince = now;
      Object.assign(evidence, { mode: "shared", othersSeenAt: now });
    } else if (evidence.mode === "unsure" && sentAt >= evidence.cleanAfter) {
      evidence.cleanFrom = Math.min(evidence.cleanFrom, sentAt);
      if (sentAt - evidence.cleanFrom >= ALONE_WINDOW_MS / 2) evidence.mode = "alone";
    }
  }

  /**
   * The part of a rate cap's quota this process may send per window. The whole of it while no answer has
   * announced one (nothing could tell whether others spend it) or once answers have shown this process
   * alone; half until they show either; once they show others, 1/(2·(sharers − 1)), so that one process
   * still at half and the others at their part stay within the quota together, and 1/sharers once they
   * have shared it for SETTLED_MS (by then none is still at half); never more than half
   * of what the answers of the latest window left beyond the others' sends, for a process that joins a
   * host whose cap others already spend.
   */
  private rateCapPart(now: number): number {
    const evidence = this.rateCaps;
    const sharers = this.settings().budgetSharers;
    if (!evidence || sharers <= 1 || evidence.mode === "alone") return 1;
    if (evidence.mode === "unsure" || now - evidence.othersSeenAt >= OTHERS_REMEMBERED_MS) return 1 / 2;
    const othersPart = Math.max(...evidence.othersParts.map((p) => p.part));
    const settled = now - evidence.sharedSince >= SETTLED_MS;
    return Math.min(settled ? 1 / sharers : 1 / (2 * (sharers - 1)), (1 - othersPart) / 2);
  }

  /** When request `seq` left (epoch ms); undefined once it has left the longest window. */
  private sentAt(seq: number): number | undefined {
    const index = this.starts.length - (this.sent - seq) - 1;
    return index >= 0 ? this.starts[index] : undefined;
  }

  /** The limit that lets the fewest requests be unanswered; between equals, the one that resets last. */
  private mostConstraining(limits: LimitLeft[]): LimitLeft {
    const sharers = this.settings().budgetSharers;
    const usable = (l: LimitLeft) => this.usable(l.remaining, sharers);
    return [...limits].sort((a, b) => usable(a) - usable(b) || (b.resetAt ?? Infinity) - (a.resetAt ?? Infinity))[0];
  }

  /**
   * Every window (configured, documented and announced) counted on this process's own sends; the longest
   * wait wins. A rate cap allows its part of the quota (rateCapPart), and while this process has sent
   * within its window, one send per window / allowance: evenly paced sends arrive among the other
   * processes' and their answers count them; a process that has sent nothing within it may send all
   * it is allowed at once.
   */
  private windowWait(now: number): number {
    const { windowRequests, windowMs } = this.settings();
    const policies = [PER_IP_LIMIT, ...this.announced.values()];
    const part = this.rateCapPart(now);
    const windows = [
      { quota: windowRequests, windowMs, rate: false },
      ...policies.map((p) => ({ ...p, rate: isRateCap(p, policies) })),
    ].map((w) => ({
      quota: w.rate ? Math.max(1, Math.floor(w.quota * part + 1e-9)) : w.quota,
      windowMs: w.windowMs + ARRIVAL_SLACK_MS,
      rate: w.rate,
    }));
    const longest = Math.max(QUIET_MS, ...windows.map((w) => w.windowMs));
    while (this.starts.length > 0 && now - this.starts[0] >= longest) this.starts.shift();
    let wait = 0;
    for (const { quota, windowMs: w, rate } of windows) {
      const inWindow = this.starts.length - firstIndexAfter(this.starts, now - w);
      // The oldest send that must leave the window before one more fits.
      if (inWindow >= quota) wait = Math.max(wait, this.starts[this.starts.length - quota] + w - now + 1);
      else if (rate && !this.bursting(now, w / quota)) wait = Math.max(wait, this.starts[this.starts.length - 1] + w / quota - now);
    }
    return wait;
  }

  /**
   * Whether the next send may leave with no spacing: while no answer has announced a rate cap (nothing
   * could tell whether others spend it), after a quiet spell, or within a burst that began less than
   * `spacingMs` ago.
   */
  private bursting(now: number, spacingMs: number): boolean {
    if (!this.rateCaps) return true;
    if (this.rateCapPart(now) < 1 / 2) return false; // shared out: others spend the cap now
    return now - this.burstAt <= spacingMs || this.sentWithin(now, QUIET_MS) <= 1;
  }

  private sentWithin(now: number, ms: number): number {
    return this.starts.length - firstIndexAfter(this.starts, now - ms);
  }
}

/**
 * A limit of a few seconds' window beside a longer one (the per-IP rate beside the user's budget):
 * a rate every process on the host spends, refilled within seconds. The longest limit is the budget,
 * however short its window.
 */
function isRateCap(limit: { windowMs?: number }, all: { windowMs?: number }[]): boolean {
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
