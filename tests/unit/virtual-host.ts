/**
 * Processes on one host, each with its own RateBudget, against one account's rate limits, on a virtual
 * clock: every request is answered after a chosen time, and time jumps from one event to the next once
 * every promise has settled. Deterministic: the same workload gives the same run.
 *
 * The limits are counted by the emulator's own counter (emulator/rate-limit.ts: a fixed window that
 * opens with its first request) or, as Cloudflare does not document how it counts a window, over a
 * sliding window; either way the answers carry `Ratelimit` and `Ratelimit-Policy` as Cloudflare
 * documents them, and a refusal is a 429 with `retry-after`.
 */
import { seededRandom } from "../../emulator/faults";
import { ApiRateLimits, type RateLimitConfig } from "../../emulator/rate-limit";
import { RateBudget, type Clock } from "../../provider/cloudflare/rate-budget";

export type WindowCounting = "fixed" | "sliding";

export interface HostWorkload {
  processes: number;
  /** Requests each process sends, at most `concurrency` of them waiting or unanswered at once. */
  requests: number;
  concurrency: number;
  /** Milliseconds from a request's send to its answer; `draw` is uniform in [0, 1), seeded. */
  answerMs: (draw: number) => number;
  /** When process `k` starts (ms). Default: all at 0. */
  startMs?: (k: number) => number;
  limits: RateLimitConfig & { perIp: { requests: number; windowMs: number } };
  counting: WindowCounting;
  /** How many processes each budget assumes may share the limits (the provider's default: 4). */
  sharers?: number;
}

export interface HostRun {
  /** Requests refused with a 429, by the limit that refused them. */
  refused: { perIp: number; user: number };
  /** When the last answer came (ms). */
  finishedAt: number;
  /** Per process: the most requests sent and unanswered at once, and when its last answer came. */
  processes: { maxUnanswered: number; finishedAt: number }[];
}

/** Runs the workload to its end. */
export async function runHost(work: HostWorkload): Promise<HostRun> {
  const loop = new EventLoop();
  const server = work.counting === "fixed" ? emulatorCounters(work.limits) : slidingCounters(work.limits);
  const random = seededRandom(1);
  const refused = { perIp: 0, user: 0 };
  const processes = Array.from({ length: work.processes }, () => ({ maxUnanswered: 0, finishedAt: 0 }));

  async function runProcess(k: number): Promise<void> {
    await loop.sleep(work.startMs?.(k) ?? 0);
    const stats = processes[k];
    const budget = new RateBudget(
      () => ({ windowRequests: work.limits.requests, windowMs: work.limits.windowMs, budgetSharers: work.sharers ?? 4 }),
      loop.clock,
    );
    let unanswered = 0;
    const one = async () => {
      for (;;) {
        const seq = await budget.acquire();
        stats.maxUnanswered = Math.max(stats.maxUnanswered, ++unanswered);
        const answer = server(loop.now);
        await loop.sleep(work.answerMs(random()));
        unanswered--;
        budget.ended(seq, new Headers(answer.headers));
        if (answer.refusedBy === undefined) return;
        refused[answer.refusedBy]++;
        budget.pause(answer.retryAfterMs);
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < work.requests) {
        next++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: Math.min(work.concurrency, work.requests) }, worker));
    stats.finishedAt = loop.now;
  }

  await loop.runUntil(Promise.all(processes.map((_, k) => runProcess(k))));
  return { refused, finishedAt: loop.now, processes };
}

interface Answer {
  headers: Record<string, string>;
  refusedBy?: "perIp" | "user";
  retryAfterMs: number;
}

/** The emulator's counters, as the benchmarks and the acceptance specs meet them. */
function emulatorCounters(limits: RateLimitConfig): (now: number) => Answer {
  const counters = new ApiRateLimits(limits);
  return (now) => {
    const verdict = counters.hit("user", "127.0.0.1", now);
    if (verdict.allowed) return { headers: verdict.headers, retryAfterMs: 0 };
    const headers = { ...verdict.headers, ...verdict.error?.headers };
    const ipLeft = /"ip";r=(\d+)/.exec(headers.ratelimit)?.[1];
    return { headers, refusedBy: ipLeft === "0" ? "perIp" : "user", retryAfterMs: Number(headers["retry-after"]) * 1000 };
  };
}

/** Both limits counted over a sliding window: each request counts until its window has passed. */
function slidingCounters(limits: HostWorkload["limits"]): (now: number) => Answer {
  const windows = [
    { name: "default", quota: limits.requests, windowMs: limits.windowMs, hits: [] as number[], refusedBy: "user" as const },
    { name: "ip", quota: limits.perIp.requests, windowMs: limits.perIp.windowMs, hits: [] as number[], refusedBy: "perIp" as const },
  ];
  return (now) => {
    for (const w of windows) while (w.hits.length > 0 && w.hits[0] <= now - w.windowMs) w.hits.shift();
    const full = windows.find((w) => w.hits.length >= w.quota);
    if (!full) for (const w of windows) w.hits.push(now);
    const secondsToRoom = (w: (typeof windows)[number]) => Math.max(1, Math.ceil(((w.hits[0] ?? now) + w.windowMs - now) / 1000));
    const headers = {
      ratelimit: windows.map((w) => `"${w.name}";r=${w.quota - w.hits.length};t=${secondsToRoom(w)}`).join(", "),
      "ratelimit-policy": windows.map((w) => `"${w.name}";q=${w.quota};w=${Math.ceil(w.windowMs / 1000)}`).join(", "),
    };
    return { headers, refusedBy: full?.refusedBy, retryAfterMs: full ? secondsToRoom(full) * 1000 : 0 };
  };
}

/** Timers on a virtual clock, run in order of time (then of creation) once every promise has settled. */
class EventLoop {
  now = 0;
  private created = 0;
  private readonly heap: { at: number; order: number; fire: () => void }[] = [];
  readonly clock: Clock = { now: () => this.now, sleep: (ms) => this.sleep(ms) };

  sleep(ms: number): Promise<void> {
    return new Promise((fire) => this.push({ at: this.now + Math.max(0, ms), order: this.created++, fire }));
  }

  async runUntil(done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    for (;;) {
      await new Promise((settled) => setImmediate(settled)); // every promise chain settles first
      if (finished) return;
      const timer = this.pop();
      if (!timer) throw new Error("the processes wait for nothing that will happen");
      this.now = Math.max(this.now, timer.at);
      timer.fire();
    }
  }

  private push(timer: EventLoop["heap"][number]): void {
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): EventLoop["heap"][number] | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let least = i;
        if (l < heap.length && before(heap[l], heap[least])) least = l;
        if (r < heap.length && before(heap[r], heap[least])) least = r;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least], heap[i]];
        i = least;
      }
    }
    return top;
  }
}

const before = (a: { at: number; order: number }, b: { at: number; order: number }) => a.at < b.at || (a.at === b.at && a.order < b.order);
