/**
 * Several processes on one host, each with its own rate budget, against one account's limits: Cloudflare's
 * 200 requests per second per IP, which they all spend, and the user's budget (here 2000 per 15 s, as the
 * sharded benchmark scales it). On a virtual clock (virtual-host.ts), with the window counted as the
 * emulator counts it and over a sliding window, since Cloudflare does not say which.
 */
import { runHost, type HostWorkload, type WindowCounting } from "./virtual-host";

const SHARED_ACCOUNT: HostWorkload["limits"] = {
  requests: 2000,
  windowMs: 15_000,
  blockMs: 15_000,
  perIp: { requests: 200, windowMs: 1000 },
};

/** Four shards' `up`s started together, 2,500 requests each, at most 200 of a process's waiting or in flight. */
const fourShards = (counting: WindowCounting, answerMs: HostWorkload["answerMs"]): HostWorkload => ({
  processes: 4,
  requests: 2500,
  concurrency: 200,
  answerMs,
  limits: SHARED_ACCOUNT,
  counting,
});

describe.each<WindowCounting>(["fixed", "sliding"])("four processes that start together, the window counted %s", (counting) => {
  it("draw no 429 when answers take 50 ms", async () => {
    const run = await runHost(fourShards(counting, () => 50));
    expect(run.refused).toEqual({ perIp: 0, user: 0 });
    expect(run.processes.every((p) => p.finishedAt > 0)).toBe(true);
  });

  it("draw no 429 when answers take 150 to 1,500 ms, each its own", async () => {
    const run = await runHost(fourShards(counting, (draw) => 150 + draw * 1350));
    expect(run.refused).toEqual({ perIp: 0, user: 0 });
  });

  it("draw no 429 when every answer takes 1,500 ms, so that their first waves leave at the same moment", async () => {
    const run = await runHost(fourShards(counting, () => 1500));
    expect(run.refused).toEqual({ perIp: 0, user: 0 });
  });
});

describe("one process alone", () => {
  it("sends every upload after its first answer at once: 100 uploads answered in 3.4 s each take two rounds", async () => {
    const run = await runHost({
      processes: 1,
      requests: 100,
      concurrency: 200,
      answerMs: () => 3400,
      limits: { requests: 1200, windowMs: 300_000, perIp: { requests: 200, windowMs: 1000 } },
      counting: "fixed",
    });
    expect(run.refused).toEqual({ perIp: 0, user: 0 });
    expect(run.processes[0].maxUnanswered).toBe(99); // the first request went alone, to learn the budget
    expect(run.finishedAt / 3400).toBe(2);
  });
});
