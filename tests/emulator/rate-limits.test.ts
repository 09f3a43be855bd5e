/**
 * Cloudflare's documented API rate limits as clients see them (emulator/SOURCES.md §9):
 * `Ratelimit` and `Ratelimit-Policy` on every answer, 429 / 971 with `retry-after` beyond the limit,
 * the block after the limit is exceeded, and the per-IP limit.
 */
import { ApiRateLimits, DOCUMENTED_LIMIT, startEmulator, type Emulator } from "../../emulator";
import { control, raw } from "./helpers";

const RATE_LIMITED = { code: 971, message: "Please wait and consider throttling your request speed" };

describe("answers without a configured limit", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startEmulator()));
  afterAll(() => emu.close());

  it("carry Ratelimit and Ratelimit-Policy describing the documented 1200 per 300 s, counting down, refusing nothing", async () => {
    const first = await raw(emu, "GET", "/accounts");
    const second = await raw(emu, "GET", `/accounts/${emu.accountId}/workers/dispatch/namespaces/missing`);
    expect(first.headers.get("ratelimit-policy")).toBe(`"default";q=${DOCUMENTED_LIMIT.requests};w=${DOCUMENTED_LIMIT.windowMs / 1000}`);
    expect(first.headers.get("ratelimit")).toBe(`"default";r=${DOCUMENTED_LIMIT.requests - 1};t=${DOCUMENTED_LIMIT.windowMs / 1000}`);
    // Error answers carry them too.
    expect(second.status).toBe(404);
    expect(second.headers.get("ratelimit")).toMatch(new RegExp(`^"default";r=${DOCUMENTED_LIMIT.requests - 2};t=(299|300)$`));
    expect(first.headers.get("retry-after")).toBeNull();
    expect(first.headers.get("x-ratelimit-remaining")).toBeNull();
    expect(emu.rateLimits.describe()).toBeNull();
  });
});

describe("a configured limit", () => {
  let limited: Emulator;
  beforeAll(async () => (limited = await startEmulator({ rateLimit: { requests: 3, windowMs: 2000 } })));
  afterAll(() => limited.close());
  beforeEach(() => limited.reset());

  it("counts down in Ratelimit, then answers 429 / 971 with retry-after until the window resets", async () => {
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const res = await raw(limited, "GET", "/accounts");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-policy")).toBe(`"default";q=3;w=2`);
      remaining.push(res.headers.get("ratelimit"));
    }
    expect(remaining).toEqual([`"default";r=2;t=2`, `"default";r=1;t=2`, `"default";r=0;t=2`]);

    const refused = await raw(limited, "GET", "/accounts");
    expect(refused.status).toBe(429);
    expect(refused.json.errors[0]).toEqual(RATE_LIMITED);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(refused.headers.get("ratelimit")).toBe(`"default";r=0;t=2`);
    expect(limited.requests.count({ rateLimited: true })).toBe(1);
    expect(limited.requests.count({ fault: "status" })).toBe(0); // not an injected fault

    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get("retry-after")) * 1000));
    expect((await raw(limited, "GET", "/accounts")).headers.get("ratelimit")).toBe(`"default";r=2;t=2`);
  });

  it("is Cloudflare's, not a fault: clearing faults keeps it, reset() returns to the start options, and it is switchable over HTTP", async () => {
    limited.faults.clear();
    expect(limited.rateLimits.describe()).toEqual({ requests: 3, windowMs: 2000 });
    expect((await control(limited, "PUT", "/rate-limit", { requests: 1, windowMs: 60_000 })).json.result).toEqual({
      requests: 1,
      windowMs: 60_000,
    });
    expect((await raw(limited, "GET", "/accounts")).status).toBe(200);
    expect((await raw(limited, "GET", "/accounts")).status).toBe(429);
    expect((await control(limited, "DELETE", "/rate-limit")).json.result).toEqual({ requests: 3, windowMs: 2000 });
    expect((await raw(limited, "GET", "/accounts")).status).toBe(200);
    expect((await control(limited, "PUT", "/rate-limit", { requests: 0, windowMs: 1 })).status).toBe(400);
  });
});

describe("the documented block and per-IP limit", () => {
  const T0 = 1_000_000;

  it("after the limit is exceeded, refuses every call until the block ends, even once the window has reset", () => {
    const limits = new ApiRateLimits({ requests: 2, windowMs: 10_000, blockMs: 30_000 });
    expect([T0, T0 + 1].map((t) => limits.hit("user", "ip", t).allowed)).toEqual([true, true]);
    const exceeded = limits.hit("user", "ip", T0 + 2);
    expect(exceeded.allowed).toBe(false);
    expect(exceeded.error?.toResult().headers).toMatchObject({ "retry-after": "30" });

    const afterWindow = limits.hit("user", "ip", T0 + 15_000);
    expect(afterWindow.allowed).toBe(false); // 15 002 ms of the block left: 16 s, rounded up
    expect(afterWindow.headers.ratelimit).toBe(`"default";r=0;t=16`);
    expect(limits.hit("user", "ip", T0 + 2 + 30_000).allowed).toBe(true);
    // Another user is not blocked.
    expect(limits.hit("other", "ip", T0 + 3).allowed).toBe(true);
  });

  it("without a block, lets the user back in as soon as the window resets", () => {
    const limits = new ApiRateLimits({ requests: 1, windowMs: 10_000 });
    expect(limits.hit("user", "ip", T0).allowed).toBe(true);
    expect(limits.hit("user", "ip", T0 + 1).allowed).toBe(false);
    expect(limits.hit("user", "ip", T0 + 10_000).allowed).toBe(true);
  });

  it("limits one IP across users, and lists both policies in the headers", () => {
    const limits = new ApiRateLimits({ requests: 100, windowMs: 300_000, perIp: { requests: 2, windowMs: 1000 } });
    const answers = ["a", "b", "c"].map((user) => limits.hit(user, "10.0.0.1", T0));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, false]);
    expect(answers[1].headers["ratelimit-policy"]).toBe(`"default";q=100;w=300, "ip";q=2;w=1`);
    expect(answers[1].headers.ratelimit).toBe(`"default";r=99;t=300, "ip";r=0;t=1`);
    expect(answers[2].error?.toResult().headers).toMatchObject({ "retry-after": "1" });
    expect(limits.hit("c", "10.0.0.2", T0).allowed).toBe(true);
    expect(limits.hit("c", "10.0.0.1", T0 + 1000).allowed).toBe(true);
  });
});
