/**
 * A provider whose engine died: the parent chain it watches changes, and from then on its request
 * policy starts nothing (queued requests and retries are refused) while the requests already sent
 * get their answers, which the returned promise waits for.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { PolicyStoppedError, RequestPolicy, settingsFromEnvironment } from "../../provider/cloudflare/request-policy";
import { ancestry, watchEngine } from "../../provider/engine-watch";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const listUrl = () => `${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces`;
const get = (policy: RequestPolicy) => policy.fetch(listUrl(), { headers: { authorization: `Bearer ${emu.apiToken}` } });

describe("a stopped request policy", () => {
  it("lets the requests on the wire finish, refuses queued ones without sending them, and resolves once drained", async () => {
    const policy = new RequestPolicy({ ...settingsFromEnvironment({}), maxConcurrency: 2, report: () => undefined });
    emu.faults.setLatency(300);
    const calls = Array.from({ length: 6 }, () =>
      get(policy).then(
        (r) => r.status,
        (e: unknown) => e,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // some on the wire, the rest queued
    const drained = policy.stop("the engine is gone");
    await drained;
    expect(emu.requests.inFlight).toBe(0);
    const outcomes = await Promise.all(calls);
    const answered = outcomes.filter((o) => o === 200);
    const refused = outcomes.filter((o): o is PolicyStoppedError => o instanceof PolicyStoppedError);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(answered.length + refused.length).toBe(6);
    expect(refused[0].message).toBe(
      `GET ${new URL(emu.url).pathname}/accounts/${emu.accountId}/workers/dispatch/namespaces was not sent: the engine is gone`,
    );
    // What was refused never reached Cloudflare.
    expect(emu.requests.filter({ method: "GET" })).toHaveLength(answered.length);
  });

  it("sends no retry of a request whose answer asked for one", async () => {
    const policy = new RequestPolicy({ ...settingsFromEnvironment({}), baseDelayMs: 200, report: () => undefined });
    emu.faults.failNext(503);
    const call = get(policy).catch((e: unknown) => e);
    while (emu.requests.filter({ method: "GET" }).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await policy.stop("the engine is gone");
    expect(await call).toBeInstanceOf(PolicyStoppedError);
    expect(emu.requests.filter({ method: "GET" })).toHaveLength(1);
  });

  it("resolves at once when nothing is on the wire", async () => {
    const policy = new RequestPolicy({ ...settingsFromEnvironment({}), report: () => undefined });
    await expect(policy.stop("the engine is gone")).resolves.toBeUndefined();
  });
});

describe("watching the engine", () => {
  it("reads this process's parent chain: its parent first", () => {
    expect(ancestry()[0]).toBe(process.ppid);
    expect(ancestry().every((pid) => Number.isInteger(pid) && pid >= 0)).toBe(true);
  });

  it("calls back once when the chain changes (the engine died and its children were re-parented), not before", async () => {
    let chain = [4242, 17];
    let calls = 0;
    const stop = watchEngine(
      () => calls++,
      10,
      () => chain,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(0);
    chain = [4242, 1];
    await new Promise((resolve) => setTimeout(resolve, 50));
    chain = [1];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
    stop();
  });
});
