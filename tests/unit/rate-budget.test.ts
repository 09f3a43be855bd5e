/**
 * The rate budget alone, on a clock the test moves: when may this process's next request leave?
 * Its own window when Cloudflare says nothing, every quota Cloudflare announces, a share of what
 * Cloudflare says is left, the reset when too little is left, and the pause after a 429.
 */
import { RateBudget, type BudgetSettings, type Clock } from "../../provider/cloudflare/rate-budget";

const T0 = 1_000_000;

/** A clock whose sleeps move time forward at once. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: T0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

function budgetWith(settings: Partial<BudgetSettings> = {}) {
  const clock = fakeClock();
  const budget = new RateBudget(() => ({ windowRequests: 1200, windowMs: 300_000, budgetSharers: 4, ...settings }), clock);
  return { clock, budget };
}

const cloudflareSays = (ratelimit: string, policy?: string) =>
  new Headers({ ratelimit, ...(policy ? { "ratelimit-policy": policy } : {}) });

/** Lets every promise that can settle settle: what is still pending waits for an answer or the clock. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** Sends `n` requests one after the other, each answered at once with `answer(seq)`; their send times. */
async function sendInTurn(budget: RateBudget, clock: Clock, n: number, answer: (seq: number) => Headers | undefined = () => undefined) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const seq = await budget.acquire();
    times.push(clock.now());
    budget.ended(seq, answer(seq));
  }
  return times;
}

/** The most sends found inside any `windowMs` interval. */
function busiestWindow(times: number[], windowMs: number): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe("with no word from Cloudflare", () => {
  it("this process alone never sends more than its own window allows", async () => {
    const { clock, budget } = budgetWith({ windowRequests: 5, windowMs: 1000 });
    const times = await sendInTurn(budget, clock, 12);
    expect(busiestWindow(times, 1000)).toBe(5);
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(1000); // the sixth waited for the first to leave the window
    expect(times[11] - times[0]).toBeGreaterThanOrEqual(2000);
    expect(budget.queued).toBeGreaterThan(0);
  });
});

describe("Cloudflare's 200 requests per second per IP", () => {
  it("is never passed, however many requests wait, even when no answer announces it and sends arrive late", async () => {
    const { clock, budget } = budgetWith();
    budget.ended(await budget.acquire(), cloudflareSays(`"default";r=1199;t=300`));
    // Each answered at once: only the per-IP rate holds them back.
    const times = await sendInTurn(budget, clock, 600);
    expect(busiestWindow(times, 1000)).toBe(200);
    // With 50 ms to spare: sends that reach Cloudflare up to 50 ms later than others still fit its second.
    expect(busiestWindow(times, 1050)).toBe(200);
    expect(times[599] - times[0]).toBeGreaterThanOrEqual(2 * 1050);
  });

  /** Sends `n` requests one after the other, each answered at once with what is left of a per-second cap that others spend `othersPerSecond` of. */
  async function sendBesideOthers(othersPerSecond: number, n: number) {
    const { clock, budget } = budgetWith();
    const policies = `"default";q=1200;w=300, "ip";q=200;w=1`;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const seq = await budget.acquire();
      times.push(clock.now());
      const counted = times.filter((t) => t > clock.now() - 1000).length + othersPerSecond;
      budget.ended(seq, cloudflareSays(`"default";r=1100;t=200, "ip";r=${Math.max(0, 200 - counted)};t=1`, policies));
    }
    return times;
  }

  it("when an answer announces it, paces half of it until the answers show this process alone, then all of it", async () => {
    const times = await sendBesideOthers(0, 1000);
    // The first window after the first answer: half, so that others starting at the same moment fit beside it.
    const firstSecond = times.filter((t) => t < times[1] + 1000);
    expect(busiestWindow(firstSecond, 1000)).toBe(100);
    // Answers that counted no one else's sends over a window and a half: the whole of it, with its slack.
    const later = times.filter((t) => t >= times[1] + 3000);
    expect(later.length).toBeGreaterThan(0);
    expect(busiestWindow(later, 1000)).toBeGreaterThanOrEqual(180);
    expect(busiestWindow(times, 1050)).toBeLessThanOrEqual(200);
  });

  it("once answers count other processes' sends, paces a sixth of it, then a quarter, or half of what they leave when that is less", async () => {
    // A sixth: three processes at a sixth beside one still at half, which has not seen them yet, fill the cap.
    const times = await sendBesideOthers(60, 300);
    expect(
      busiestWindow(
        times.filter((t) => t < times[1] + 3000),
        1050,
      ),
    ).toBe(Math.floor(200 / 6));
    // Three seconds on, none of the processes that started together is still at half: a quarter each.
    expect(
      busiestWindow(
        times.filter((t) => t >= times[1] + 3000),
        1050,
      ),
    ).toBe(200 / 4);
    // Others spend 160 a second: half of the 40 they leave.
    expect(busiestWindow(await sendBesideOthers(160, 300), 1050)).toBe(20);
  });

  it("is not passed by four processes on one host that read the same answers, each sending all it may at once", async () => {
    const policies = `"default";q=2000;w=15, "ip";q=200;w=1`;
    const clock = fakeClock();
    const processes = Array.from(
      { length: 4 },
      () => new RateBudget(() => ({ windowRequests: 2000, windowMs: 15_000, budgetSharers: 4 }), clock),
    );
    // A fresh window of both limits, as every process's first answer reports it.
    for (const budget of processes) budget.ended(await budget.acquire(), cloudflareSays(`"default";r=1996;t=15, "ip";r=196;t=1`, policies));
    // Each sends what it may before any answer comes back (an answer would report what the others spent).
    let sentThisSecond = 4;
    for (const budget of processes) {
      for (;;) {
        const next = budget.acquire().then(() => true);
        if (!(await Promise.race([next, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5))]))) break;
        sentThisSecond++;
      }
    }
    expect(sentThisSecond).toBeGreaterThan(4);
    expect(sentThisSecond).toBeLessThanOrEqual(200);
  });
});

describe("what Cloudflare announces and says is left", () => {
  it("keeps every announced quota on this process's own sends, the most constraining deciding", async () => {
    const { clock, budget } = budgetWith();
    const policies = `"default";q=1200;w=300, "ip";q=3;w=1`;
    const times = await sendInTurn(budget, clock, 10, () => cloudflareSays(`"default";r=1000;t=300, "ip";r=150;t=1`, policies));
    expect(busiestWindow(times, 1000)).toBe(3);
  });

  it("lets at most an eighth of what is left, short of a reserve, be unanswered at once; older answers count for nothing", async () => {
    const { budget } = budgetWith();
    const pendingSeq = () => {
      const state: { seq?: number } = {};
      const done = budget.acquire().then((seq) => (state.seq = seq));
      return { state, done };
    };
    budget.ended(await budget.acquire(), cloudflareSays(`"default";r=24;t=60`)); // an eighth of 24: three at once
    const [a, , c] = [await budget.acquire(), await budget.acquire(), await budget.acquire()];
    const fourth = pendingSeq();
    await settled();
    expect(fourth.state.seq).toBeUndefined(); // waits for an answer

    budget.ended(c, cloudflareSays(`"default";r=9;t=60`)); // 9 left, 8 kept in reserve: one at once
    await fourth.done;
    budget.ended(a, cloudflareSays(`"default";r=20;t=60`)); // sent before c: says more than is left
    const fifth = pendingSeq();
    await settled();
    expect(fifth.state.seq).toBeUndefined();
  });

  it("sends nothing while too little is left, then one request after the reset to learn the new budget", async () => {
    const { clock, budget } = budgetWith();
    budget.ended(await budget.acquire(), cloudflareSays(`"default";r=3;t=30`));
    const probe = await budget.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 30_000);
    let next: number | undefined;
    const pending = budget.acquire().then((seq) => (next = seq));
    await settled();
    expect(next).toBeUndefined(); // held until the probe's answer
    budget.ended(probe, cloudflareSays(`"default";r=1199;t=300`));
    await pending;
    expect(next).toBe(probe + 1);
  });
});

describe("a view of the budget that is getting old", () => {
  /** How many requests leave at once (none answered) at `ageMs` after the budget was reported. */
  async function sentAtOnce(ageMs: number, ratelimit: string): Promise<number> {
    const { clock, budget } = budgetWith();
    budget.ended(await budget.acquire(), cloudflareSays(ratelimit));
    clock.t += ageMs;
    let sent = 0;
    for (let i = 0; i < 300; i++) void budget.acquire().then(() => sent++);
    await settled(); // every send that need not wait for an answer has left
    return sent;
  }

  it("is discounted by what three other processes could have sent meanwhile at 200 per second each", async () => {
    // 1195 left: an eighth at once, 149, when just learned; 700 ms later others may have spent 420 of it.
    expect(await sentAtOnce(0, `"default";r=1195;t=300`)).toBe(149);
    expect(await sentAtOnce(700, `"default";r=1195;t=300`)).toBe(Math.floor((1195 - 420) / 8));
  });

  it("lets one request through to learn the budget again once the others could have spent it all", async () => {
    expect(await sentAtOnce(3000, `"default";r=1195;t=300`)).toBe(1);
  });
});

describe("what a progress line reports", () => {
  it("says sends are held while the budget Cloudflare reported allows none, until its reset, with no window of its own full", () => {
    const { budget } = budgetWith();
    expect(budget.windowStatus().waitMs).toBe(0);
    return budget.acquire().then((seq) => {
      budget.ended(seq, cloudflareSays(`"default";r=3;t=30`));
      expect(budget.windowStatus()).toEqual({ sentInWindow: 1, windowRequests: 1200, windowMs: 300_000, waitMs: 30_000 });
    });
  });
});

describe("after a 429", () => {
  it("nothing leaves before the pause has passed", async () => {
    const { clock, budget } = budgetWith();
    budget.ended(await budget.acquire(), cloudflareSays(`"default";r=1000;t=300`));
    budget.pause(7000);
    await budget.acquire();
    expect(clock.now()).toBe(T0 + 7000);
  });
});
