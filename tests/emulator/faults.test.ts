/**
 * Fault injection as the provider will meet it: throttling, 5xx, dropped connections (before and
 * after the change is applied), latency and concurrency, read-after-create lag and seeded random
 * failures — observed through the official SDK. Cloudflare's rate limit is not a fault: rate-limits.test.ts.
 */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { raw, rejectionOf, sdk, sleep } from "./helpers";

let emu: Emulator;
let account_id: string;
const namespaces = (cf: Cloudflare) => cf.workersForPlatforms.dispatch.namespaces;

beforeAll(async () => {
  emu = await startEmulator();
  account_id = emu.accountId;
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("answer the next N requests with a status", () => {
  it("429 carries code 971 and Retry-After", async () => {
    emu.faults.failNext(429, { retryAfterSeconds: 7 });
    const err = await rejectionOf(() => namespaces(sdk(emu)).list({ account_id }));
    expect(err).toBeInstanceOf(Cloudflare.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.errors[0]).toEqual({ code: 971, message: "Please wait and consider throttling your request speed" });
    expect(err.headers.get("retry-after")).toBe("7");
    expect(emu.requests.entries[0]).toMatchObject({ status: 429, errorCode: 971, fault: { kind: "status", status: 429 } });
  });

  it("429 is retried by the SDK after the Retry-After delay, then succeeds", async () => {
    emu.faults.failNext(429, { retryAfterSeconds: 1 });
    const started = Date.now();
    const created = await namespaces(sdk(emu, { maxRetries: 1 })).create({ account_id, name: "after-throttle" });
    expect(created.namespace_name).toBe("after-throttle");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emu.requests.entries.map((e) => e.status)).toEqual([429, 200]);
    expect(emu.state.namespaces()).toHaveLength(1);
  });

  it.each([500, 502, 503])("%i arrives as InternalServerError with a Cloudflare-like body", async (status) => {
    emu.faults.failNext(status);
    const err = await rejectionOf(() => namespaces(sdk(emu)).get("x", { account_id }));
    expect(err).toBeInstanceOf(Cloudflare.InternalServerError);
    expect(err.status).toBe(status);
    expect(err.errors[0]).toEqual({ code: 10002, message: expect.any(String) });
    expect(err.error).toMatchObject({ success: false, result: null, messages: [] });
  });

  it("503 is retried by the SDK, and the create is applied exactly once", async () => {
    emu.faults.failNext(503);
    await namespaces(sdk(emu, { maxRetries: 1 })).create({ account_id, name: "after-503" });
    expect(emu.requests.entries.map((e) => e.status)).toEqual([503, 200]);
    expect(emu.state.namespaces()).toHaveLength(1);
  });

  it("only hits requests matching method and path, `times` times", async () => {
    emu.faults.failNext(500, { method: "POST", path: "/dispatch/namespaces$", times: 2 });
    const cf = namespaces(sdk(emu));
    await expect(cf.list({ account_id })).resolves.toBeDefined();
    expect(emu.faults.pending).toBe(2);
    await expect(rejectionOf(() => cf.create({ account_id, name: "a" }))).resolves.toBeInstanceOf(Cloudflare.InternalServerError);
    await expect(rejectionOf(() => cf.create({ account_id, name: "a" }))).resolves.toBeInstanceOf(Cloudflare.InternalServerError);
    await expect(cf.create({ account_id, name: "a" })).resolves.toMatchObject({ namespace_name: "a" });
    expect(emu.faults.pending).toBe(0);
    expect(emu.requests.count({ fault: "status" })).toBe(2);
  });

  it("rejects nonsense rules", () => {
    expect(() => emu.faults.failNext(200)).toThrow(/400\.\.599/);
    expect(() => emu.faults.addRule({ status: 500, drop: "before" })).toThrow(/exactly one/);
    expect(() => emu.faults.failNext(500, { times: 0 })).toThrow(/times/);
  });
});

describe("dropped connections", () => {
  it("before apply: the client sees a connection error and nothing changed", async () => {
    emu.faults.dropNext({ method: "POST" });
    const err = await rejectionOf(() => namespaces(sdk(emu)).create({ account_id, name: "never" }));
    expect(err).toBeInstanceOf(Cloudflare.APIConnectionError);
    expect(emu.state.namespaces()).toEqual([]);
    expect(emu.requests.entries[0]).toMatchObject({ method: "POST", status: null, fault: { kind: "drop-before" } });
  });

  it("after apply: the change happened although the client never heard back", async () => {
    emu.faults.dropNext({ method: "POST", afterApply: true });
    const err = await rejectionOf(() => namespaces(sdk(emu)).create({ account_id, name: "applied" }));
    expect(err).toBeInstanceOf(Cloudflare.APIConnectionError);
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["applied"]);
    expect(emu.requests.entries[0]).toMatchObject({ status: null, fault: { kind: "drop-after" } });
  });

  it("after apply + SDK retry: the retried create meets 'already exists' (what a provider must handle)", async () => {
    emu.faults.dropNext({ method: "POST", afterApply: true });
    const err = await rejectionOf(() => namespaces(sdk(emu, { maxRetries: 1 })).create({ account_id, name: "twice" }));
    expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(err.errors[0].code).toBe(100120);
    expect(emu.requests.entries.map((e) => e.status)).toEqual([null, 400]);
    expect(emu.state.namespaces()).toHaveLength(1);
  });
});

describe("latency and concurrency", () => {
  it("adds fixed latency and records it", async () => {
    emu.faults.setLatency(120);
    const t0 = Date.now();
    await namespaces(sdk(emu)).list({ account_id });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    expect(emu.requests.entries[0].latencyMs).toBe(120);
  });

  it("adds random latency within [minMs, maxMs], reproducibly for a seed", async () => {
    const draw = async () => {
      emu.reset();
      emu.faults.setLatency({ minMs: 1, maxMs: 30 }, 7);
      for (let i = 0; i < 5; i++) await raw(emu, "GET", "/accounts");
      return emu.requests.entries.map((e) => e.latencyMs!);
    };
    const first = await draw();
    expect(first.every((ms) => ms >= 1 && ms <= 30)).toBe(true);
    expect(await draw()).toEqual(first);
  });

  it("counts in-flight requests and the peak concurrency", async () => {
    emu.faults.setLatency(300);
    const cf = namespaces(sdk(emu));
    const pending = Array.from({ length: 5 }, () => cf.list({ account_id }));
    for (let waited = 0; emu.requests.inFlight < 5 && waited < 250; waited += 5) await sleep(5);
    expect(emu.requests.inFlight).toBe(5);
    await Promise.all(pending);
    expect(emu.requests.inFlight).toBe(0);
    expect(emu.requests.peakConcurrency).toBe(5);
    emu.requests.clear();
    expect(emu.requests.peakConcurrency).toBe(0);
  });
});

describe("visibility delay after create", () => {
  it("a new namespace is 404 to get/list for the delay, yet a duplicate create still fails", async () => {
    emu.faults.setVisibilityDelay(600);
    const cf = namespaces(sdk(emu));
    await cf.create({ account_id, name: "laggy" });

    const err = await rejectionOf(() => cf.get("laggy", { account_id }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0].code).toBe(100119);
    expect((await cf.list({ account_id })).result).toEqual([]);
    const dup = await rejectionOf(() => cf.create({ account_id, name: "laggy" }));
    expect(dup.errors[0].code).toBe(100120);

    await sleep(620);
    await expect(cf.get("laggy", { account_id })).resolves.toMatchObject({ namespace_name: "laggy" });
    expect((await cf.list({ account_id })).result).toHaveLength(1);
  });

  it("does not affect namespaces created before it was switched on", async () => {
    const cf = namespaces(sdk(emu));
    await cf.create({ account_id, name: "old" });
    emu.faults.setVisibilityDelay(10_000);
    await expect(cf.get("old", { account_id })).resolves.toMatchObject({ namespace_name: "old" });
  });
});

describe("probabilistic failures", () => {
  const pattern = async (seed: number) => {
    emu.reset();
    emu.faults.setRandom({ probability: 0.3, seed });
    const cf = namespaces(sdk(emu));
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        await cf.list({ account_id });
        out.push(200);
      } catch (err) {
        out.push((err as InstanceType<typeof Cloudflare.APIError>).status!);
      }
    }
    return out;
  };

  it("fails a share of requests with 429/503, identically for the same seed", async () => {
    const a = await pattern(42);
    expect(new Set(a)).toEqual(new Set([200, 429, 503]));
    const failures = a.filter((s) => s !== 200).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(20);
    expect(await pattern(42)).toEqual(a);
    expect(await pattern(43)).not.toEqual(a);
    expect(emu.requests.count({ fault: "random" })).toBeGreaterThan(0);
  });

  it("can be limited to matching requests and switched off", async () => {
    emu.faults.setRandom({ probability: 1, statuses: [502], path: "^/nowhere" });
    await expect(namespaces(sdk(emu)).list({ account_id })).resolves.toBeDefined();
    emu.faults.setRandom({ probability: 1, statuses: [502] });
    await expect(rejectionOf(() => namespaces(sdk(emu)).list({ account_id }))).resolves.toMatchObject({ status: 502 });
    emu.faults.setRandom(null);
    await expect(namespaces(sdk(emu)).list({ account_id })).resolves.toBeDefined();
  });
});
