/**
 * The adaptive in-flight limit alone, on a clock the test moves: it starts at the user's ceiling and
 * follows it; it halves on a 429, a 5xx or a lost answer and shrinks on a rise of latency within one
 * kind of request, once per round trip; it then grows back by one per round trip while in use, never
 * past the ceiling; and it does not take Cloudflare's usual spread of latency, nor uploads following
 * reads, for a rise.
 */
import { ConcurrencyLimit, type AttemptSignal } from "../../provider/cloudflare/concurrency-limit";
import type { Clock } from "../../provider/cloudflare/rate-budget";

function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

function limitWith(ceiling = 1000) {
  const clock = fakeClock();
  const settings = { ceiling };
  const limit = new ConcurrencyLimit(() => settings.ceiling, clock);
  return { clock, limit, settings };
}

/**
 * One round trip with the limit in use: every request in flight is answered, `latencyMs` after it
 * left, and each answer's slot goes to a queued request at once.
 */
function roundTrip(
  limit: ConcurrencyLimit,
  clock: Clock & { t: number },
  answer: Omit<AttemptSignal, "inFlight"> = { status: 200, latencyMs: 200 },
): void {
  clock.t += answer.latencyMs ?? 200;
  const inFlight = limit.current;
  for (let i = 0; i < inFlight; i++) limit.ended({ ...answer, inFlight: limit.current });
}

/** A seeded uniform draw in [min, max] (mulberry32), the spread the bench gives Cloudflare's latency. */
function uniform(seed: number, min: number, max: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return min + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (max - min);
  };
}

describe("before Cloudflare pushes back", () => {
  it("is the user's ceiling, wherever the user sets it", () => {
    const { limit, settings } = limitWith(200);
    expect(limit.current).toBe(200);
    settings.ceiling = 8;
    expect(limit.current).toBe(8);
    settings.ceiling = 300;
    expect(limit.current).toBe(300);
    expect(limit.hasDecreased).toBe(false);
  });

  it("does not take Cloudflare's spread of latency (uniform 150-1500 ms) for a rise", () => {
    const { clock, limit } = limitWith(200);
    const latency = uniform(7, 150, 1500);
    for (let i = 0; i < 5000; i++) {
      const ms = latency();
      clock.t += ms / 50;
      limit.ended({ status: 200, latencyMs: ms, inFlight: limit.current, kind: "PUT multipart" });
    }
    expect(limit.hasDecreased).toBe(false);
    expect(limit.current).toBe(200);
  });

  it("does not take uploads (seconds) that follow reads (a tenth of a second) for a rise", () => {
    const { clock, limit } = limitWith(200);
    for (let i = 0; i < 50; i++) {
      clock.t += 10;
      limit.ended({ status: 200, latencyMs: 150, inFlight: 50, kind: "GET" });
    }
    for (let i = 0; i < 200; i++) {
      clock.t += 20;
      limit.ended({ status: 200, latencyMs: 3400, inFlight: 150, kind: "PUT multipart" });
    }
    expect(limit.hasDecreased).toBe(false);
    expect(limit.current).toBe(200);
  });
});

describe("when Cloudflare pushes back", () => {
  it.each([
    ["a 429", { status: 429, latencyMs: 200 }],
    ["a 503", { status: 503, latencyMs: 200 }],
    ["a 500", { status: 500, latencyMs: 200 }],
    ["a lost answer", {}],
  ])("halves on %s, and then grows back by about one per round trip while in use", (_, answer) => {
    const { clock, limit } = limitWith(64);
    clock.t += 200;
    limit.ended({ ...answer, inFlight: 64 });
    expect(limit.current).toBe(32);
    expect(limit.hasDecreased).toBe(true);
    for (let i = 0; i < 10; i++) roundTrip(limit, clock);
    expect(limit.current).toBeGreaterThanOrEqual(40);
    expect(limit.current).toBeLessThanOrEqual(42);
  });

  it("grows back only while it is what holds requests back, and never past the ceiling", () => {
    const { clock, limit } = limitWith(40);
    clock.t += 200;
    limit.ended({ status: 503, latencyMs: 200, inFlight: 40 });
    expect(limit.current).toBe(20);
    for (let i = 0; i < 200; i++) limit.ended({ status: 200, latencyMs: 200, inFlight: 3 });
    expect(limit.current).toBe(20);
    for (let i = 0; i < 100; i++) roundTrip(limit, clock);
    expect(limit.current).toBe(40);
  });

  it("shrinks once per round trip, however many answers of the same round trip say so", () => {
    const { clock, limit } = limitWith(64);
    roundTrip(limit, clock); // latency 200 ms
    for (let i = 0; i < 20; i++) limit.ended({ status: 429, latencyMs: 200, inFlight: 64 - i });
    expect(limit.current).toBe(32);
    clock.t += 250; // a round trip later: news again
    limit.ended({ status: 429, latencyMs: 200, inFlight: 32 });
    expect(limit.current).toBe(16);
  });

  it("never goes below one request in flight", () => {
    const { clock, limit } = limitWith();
    for (let i = 0; i < 20; i++) {
      clock.t += 1000;
      limit.ended({ status: 503, latencyMs: 200, inFlight: 1 });
    }
    expect(limit.current).toBe(1);
  });

  it("shrinks when one kind of request gets much slower than it was, and not on a 4xx that is the caller's", () => {
    const { clock, limit } = limitWith(256);
    for (let i = 0; i < 4; i++) roundTrip(limit, clock, { status: 200, latencyMs: 200, kind: "GET" });
    limit.ended({ status: 404, latencyMs: 200, inFlight: 256, kind: "GET" });
    expect(limit.current).toBe(256);
    for (let i = 0; i < 20; i++) {
      clock.t += 50;
      limit.ended({ status: 200, latencyMs: 1500, inFlight: limit.current, kind: "GET" });
    }
    expect(limit.current).toBeLessThan(256);
    expect(limit.current).toBeGreaterThanOrEqual(Math.floor(256 * 0.8 * 0.8));
    expect(limit.hasDecreased).toBe(true);
  });
});
