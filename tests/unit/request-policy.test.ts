/**
 * The request policy every Cloudflare call goes through, exercised with the provider's own API (api.ts)
 * against the emulator's faults and rate limit: what is retried and how often, what is final at once,
 * the in-flight limit (the ceiling until Cloudflare pushes back, then shrinks on 5xx), the
 * per-attempt timeout, the pause after a 429, pacing from Cloudflare's rate-limit headers (one process
 * and several sharing a user), and what one call's record says.
 * Each test gets a fresh policy, as a new provider process would.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { all, CloudflareApi } from "../../provider/cloudflare/api";
import * as namespaces from "../../provider/cloudflare/endpoints/dispatch-namespaces";
import { CloudflareConnectionError, describeFailure } from "../../provider/cloudflare/errors";
import { CallRecord, RequestPolicy, retryAfterMs, settingsFromEnvironment, withCallRecord } from "../../provider/cloudflare/request-policy";

let emu: Emulator;
let policy: RequestPolicy;
let api: CloudflareApi;
let reported: string[];

/** A provider process of its own: a fresh policy and an API going through it. */
function newProcess(): { policy: RequestPolicy; api: CloudflareApi } {
  const p = new RequestPolicy({ ...settingsFromEnvironment({}), baseDelayMs: 5, maxDelayMs: 20, report: (line) => reported.push(line) });
  return { policy: p, api: new CloudflareApi({ kind: "token", apiToken: emu.apiToken, baseURL: emu.url }, p) };
}

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  // A timed-out attempt is still being answered slowly by the emulator: let it finish first.
  while (emu.requests.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  emu.reset();
  reported = [];
  ({ policy, api } = newProcess());
});

const listNamespaces = (through = api) => all(namespaces.list({ api: through, accountId: emu.accountId }));
const createNamespace = (name: string) => namespaces.create({ api, accountId: emu.accountId }, name);

describe("settings", () => {
  it("come from the environment, with Cloudflare's own limits as defaults", () => {
    expect(settingsFromEnvironment({})).toMatchObject({
      maxConcurrency: 200,
      windowRequests: 1200,
      windowMs: 300_000,
      maxRetries: 6,
      attemptTimeoutMs: 60_000,
    });
    expect(
      settingsFromEnvironment({
        CLOUDFLARE_WFP_MAX_CONCURRENCY: "3",
        CLOUDFLARE_WFP_RATE_LIMIT: "100/60",
        CLOUDFLARE_WFP_MAX_RETRIES: "2",
        CLOUDFLARE_WFP_REQUEST_TIMEOUT: "5",
      }),
    ).toMatchObject({ maxConcurrency: 3, windowRequests: 100, windowMs: 60_000, maxRetries: 2, attemptTimeoutMs: 5_000 });
  });

  it("read Retry-After in milliseconds, seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it("back off exponentially, capped, with jitter between half and all of the step", () => {
    policy.configure({ baseDelayMs: 500, maxDelayMs: 8_000 });
    expect([0, 1, 2, 3, 4, 5].map((n) => policy.backoffMs(n, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([0, 1, 2].map((n) => policy.backoffMs(n, () => 0))).toEqual([250, 500, 1000]);
  });
});

describe("retries", () => {
  it("retry a 429 after its Retry-After, and report and count the retry", async () => {
    emu.faults.failNext(429, { retryAfterSeconds: 1 });
    const before = policy.snapshot().retries;
    await listNamespaces();
    expect(emu.requests.entries.map((e) => e.status)).toEqual([429, 200]);
    expect(policy.snapshot().retries).toBe(before + 1);
    expect(reported).toEqual([
      expect.stringMatching(/GET \/client\/v4\/accounts\/\w+\/workers\/dispatch\/namespaces was answered HTTP 429; retry 1 of 6 in 1\.0 s/),
    ]);
  });

  it.each([500, 502, 503, 504])("retry a %i with backoff", async (status) => {
    emu.faults.failNext(status, { times: 2 });
    await listNamespaces();
    expect(emu.requests.entries.map((e) => e.status)).toEqual([status, status, 200]);
    expect(reported).toHaveLength(2);
  });

  it("retry a request whose connection was dropped", async () => {
    emu.faults.dropNext();
    await listNamespaces();
    expect(emu.requests.entries.map((e) => e.fault?.kind ?? e.status)).toEqual(["drop-before", 200]);
    expect(reported).toEqual([expect.stringContaining("failed to connect or lost its answer; retry 1 of 6")]);
  });

  it("give up after the configured number of retries with Cloudflare's answer", async () => {
    policy.configure({ maxRetries: 2 });
    emu.faults.failNext(503, { times: 5 });
    const error = await listNamespaces().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(emu.requests.count()).toBe(3);
    expect(describeFailure("listing dispatch namespaces", error).message).toMatch(
      /^listing dispatch namespaces: Cloudflare refused it \(HTTP 503, code \d+\)/,
    );
  });

  it("time out an attempt that gets no answer, and retry it", async () => {
    policy.configure({ attemptTimeoutMs: 100, maxRetries: 1 });
    emu.faults.setLatency(1_000);
    const error = await listNamespaces().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudflareConnectionError);
    expect((error as CloudflareConnectionError).timedOut).toBe(true);
    expect(reported).toEqual([expect.stringContaining("timed out; retry 1 of 1")]);
  });

  it.each([
    [400, 10021],
    [403, 10000],
    [404, 10007],
    [409, 10001],
  ])("do not retry a %i: the caller gets Cloudflare's code and message at once", async (status, code) => {
    emu.faults.failNext(status, { code, message: `refused with ${code}` });
    const error = await listNamespaces().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(emu.requests.count()).toBe(1);
    expect(reported).toEqual([]);
    expect(describeFailure("listing dispatch namespaces", error).message).toContain(`(HTTP ${status}, code ${code}): refused with ${code}`);
  });
});

describe("the rate window", () => {
  it("starts from what Cloudflare says is left of it, not from an empty window, and draws no 429", async () => {
    emu.rateLimits.set({ requests: 40, windowMs: 3000 });
    policy.configure({ windowRequests: 40, windowMs: 3000 }); // a new provider process: its own window is empty
    // An earlier command (or another tool with the same token) spent 36 of the 40.
    for (let i = 0; i < 36; i++) {
      const answer = await fetch(`${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces`, {
        headers: { authorization: `Bearer ${emu.apiToken}` },
      });
      expect(answer.status).toBe(200);
    }
    emu.requests.clear();

    const startedAt = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => listNamespaces())); // the first answer tells the budget before the rest go

    expect(emu.requests.entries.filter((e) => e.status === 429)).toEqual([]);
    expect(emu.requests.entries).toHaveLength(6);
    expect(policy.snapshot().queuedForRateLimit).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2000); // the rest waited for Cloudflare's window to reset
  }, 30_000);
});

describe("after a 429", () => {
  it("no request of the process leaves before the Retry-After has passed, not only the refused one", async () => {
    emu.faults.failNext(429, { retryAfterSeconds: 1 });
    await Promise.all(Array.from({ length: 4 }, () => listNamespaces())); // the first goes alone and is refused

    const [refused, ...rest] = emu.requests.entries;
    expect(refused.status).toBe(429);
    expect(rest.map((e) => e.status)).toEqual([200, 200, 200, 200]);
    for (const later of rest) expect(later.startedAt - refused.endedAt!).toBeGreaterThanOrEqual(950);
  });
});

describe("pacing from Cloudflare's rate-limit headers", () => {
  it("one process that knows the budget never exceeds it, under the block that follows exceeding it", async () => {
    emu.rateLimits.set({ requests: 30, windowMs: 1000, blockMs: 5000 });
    await Promise.all(Array.from({ length: 60 }, () => listNamespaces()));
    expect(emu.requests.count({ rateLimited: true })).toBe(0);
    expect(emu.requests.count({ status: 200 })).toBe(60);
  }, 60_000);

  it("three processes with one user's token share its budget through the headers and draw no 429", async () => {
    emu.rateLimits.set({ requests: 30, windowMs: 1000, blockMs: 5000 });
    const processes = [newProcess(), newProcess(), newProcess()];
    const startedAt = Date.now();
    await Promise.all(processes.flatMap(({ api: through }) => Array.from({ length: 20 }, () => listNamespaces(through))));
    expect(emu.requests.count({ rateLimited: true })).toBe(0);
    expect(emu.requests.count({ status: 200 })).toBe(60);
    // 60 requests at 30 a window take at least three windows.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2000);
    process.stdout.write(
      `[pacing] 3 processes, 60 requests at 30/s: ${Date.now() - startedAt} ms, ${emu.requests.count({ rateLimited: true })} x 429\n`,
    );
  }, 60_000);
});

describe("the concurrency cap", () => {
  it("holds however many calls are made at once", async () => {
    policy.configure({ maxConcurrency: 3 });
    emu.faults.setLatency({ minMs: 20, maxMs: 60 });
    await Promise.all(Array.from({ length: 20 }, () => listNamespaces()));
    expect(emu.requests.count()).toBe(20);
    expect(emu.requests.peakConcurrency).toBe(3);
  });

  it("sends as many at once as its ceiling allows while the rate limits leave room, never more", async () => {
    policy.configure({ maxConcurrency: 40 });
    emu.faults.setLatency({ minMs: 50, maxMs: 100 });
    await Promise.all(Array.from({ length: 300 }, () => listNamespaces()));
    expect(emu.requests.count({ status: 200 })).toBe(300);
    // A few slots may be between an answer and the next send at any moment.
    expect(emu.requests.peakConcurrency).toBeGreaterThan(30);
    expect(emu.requests.peakConcurrency).toBeLessThanOrEqual(40);
    expect(policy.snapshot().concurrencyLimit).toBe(40);
  }, 30_000);

  it("shrinks when Cloudflare answers 5xx", async () => {
    policy.configure({ maxConcurrency: 40 });
    emu.faults.setLatency({ minMs: 50, maxMs: 100 });
    await Promise.all(Array.from({ length: 300 }, () => listNamespaces()));
    const grown = policy.snapshot().concurrencyLimit;
    // Three calls, all answered 503 first: too few in flight to grow the limit again, whatever it grew to.
    emu.faults.failNext(503, { times: 3 });
    await Promise.all(Array.from({ length: 3 }, () => listNamespaces()));
    expect(policy.snapshot().concurrencyLimit).toBeLessThanOrEqual(grown / 2);
  }, 30_000);
});

describe("a call's record", () => {
  it("says an attempt may have been applied when its answer was lost after the change happened", async () => {
    emu.faults.dropNext({ afterApply: true, method: "POST" });
    const record = new CallRecord();
    const error = await withCallRecord(record, () => createNamespace("lost-answer")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeFailure("creating", error).message).toMatch(/HTTP 400.*already exists/);
    expect(record.attempts.map((a) => a.failure ?? a.status)).toEqual(["connection", 400]);
    expect(record.mayHaveApplied).toBe(true);
  });

  it("does not when every attempt was answered with a refusal that changes nothing", async () => {
    emu.faults.failNext(429, { retryAfterSeconds: 0 });
    const record = new CallRecord();
    await withCallRecord(record, () => createNamespace("throttled"));
    expect(record.attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(record.mayHaveApplied).toBe(false);
  });
});
