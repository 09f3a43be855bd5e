/**
 * Reliability under the real engine: one request policy (concurrency cap, retries) for every
 * resource of every kind in the provider process; a hundred tenants going up through a network
 * that fails one request in ten; a namespace create whose answer is lost; and an engine killed
 * halfway through an `up`. Each time, the emulator must end up holding exactly what the program
 * declares, the state must agree, and the next `up` must have nothing to do.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { startUp } from "./harness/engine-process";
import { removeTornAttributes } from "../harness/torn-checkpoint";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(600_000);

let emu: Emulator;
let stack: TestStack | undefined;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu?.close());
beforeEach(() => emu.reset());
afterEach(async () => {
  await stack?.dispose();
  stack = undefined;
});

const tenantNames = (n: number) => Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(3, "0")}`);
const writes = () => emu.requests.writes();
const scriptPuts = () => emu.requests.filter({ method: "PUT", path: /\/scripts\/[^/]+$/ });

function fleet(namespace: string, tenants: number, env: Record<string, string> = {}) {
  return TestStack.create({ program: "fleet", env: { ...emu.env, ...env }, config: { namespace, tenants: String(tenants) } });
}

/** The resources the state holds, by type: `{ NamespacedWorkerScript: { "tenant-000": outputs } }`. */
async function stateResources(s: TestStack) {
  const { deployment } = await s.stack.exportStack();
  const byType: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const r of deployment.resources ?? []) {
    const type = String(r.type).split(":").pop()!;
    (byType[type] ??= {})[String(r.urn).split("::").pop()!] = r.outputs ?? {};
  }
  return { byType, pending: (deployment.pending_operations ?? []) as unknown[] };
}

/** The emulator holds exactly the declared tenants, the state holds the same ones with Cloudflare's etags. */
async function expectConverged(s: TestStack, namespace: string, tenants: number) {
  const held = emu.state.scripts(namespace);
  expect(held.map((script) => script.name)).toEqual(tenantNames(tenants));
  const { byType, pending } = await stateResources(s);
  expect(pending).toEqual([]);
  expect(Object.keys(byType.NamespacedWorkerScript ?? {}).sort()).toEqual(tenantNames(tenants));
  for (const script of held) expect(byType.NamespacedWorkerScript[script.name].etag).toBe(script.etag);
  expect(Object.values(byType.DispatchNamespace ?? {}).map((ns) => ns.namespaceId)).toEqual([emu.state.namespace(namespace)!.namespace_id]);
}

/** Retries the provider reported (one stderr line each), which the engine relays as diagnostics. */
const retriesReported = (diagnostics: string[]) =>
  diagnostics.flatMap((d) => d.split("\n")).filter((line) => /cloudflare-wfp: .* retry \d+ of \d+ in/.test(line));

describe("the request policy is one per provider process", () => {
  it("caps concurrent requests across the namespace and all its tenants at CLOUDFLARE_WFP_MAX_CONCURRENCY", async () => {
    emu.faults.setLatency({ minMs: 20, maxMs: 80 }, 3);
    stack = await fleet("capped", 24, { CLOUDFLARE_WFP_MAX_CONCURRENCY: "3" });
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(scriptPuts()).toHaveLength(24);
    // 24 tenants are created in parallel by the engine, yet never more than 3 requests are in flight.
    expect(emu.requests.peakConcurrency).toBe(3);

    emu.requests.clear();
    await stack.destroy();
    expect(emu.requests.peakConcurrency).toBeLessThanOrEqual(3);
    expect(emu.state.namespaces()).toEqual([]);
  });
});

describe("a hundred tenants through a network that fails one request in ten", () => {
  it("go up, leave exactly the declared scripts and a matching state, and a second up writes nothing", async () => {
    emu.faults.setRandom({ probability: 0.1, statuses: [429, 503], seed: 20240923 }).setLatency({ minMs: 0, maxMs: 60 }, 11);
    stack = await fleet("flaky", 100);

    const started = Date.now();
    const up = await stack.up();
    const seconds = (Date.now() - started) / 1000;
    expect(up.summary.result).toBe("succeeded");
    await expectConverged(stack, "flaky", 100);

    const failed = emu.requests.filter({ fault: "random" });
    expect(failed.length).toBeGreaterThan(0);
    // Every failure was retried, and each retry was reported to the user in the engine's output.
    expect(retriesReported(up.diagnostics)).toHaveLength(failed.length);
    expect(up.output).toMatch(/cloudflare-wfp: PUT \S+\/scripts\/tenant-\d+ was answered HTTP (429|503); retry 1 of 6 in \d+\.\d s/);
    const statuses = failed.map((e) => e.status);
    process.stdout.write(
      `[reliability] 100 tenants: ${seconds.toFixed(1)} s to converge, ${emu.requests.count()} requests, ` +
        `${failed.length} failed (${statuses.filter((s) => s === 429).length}×429, ${statuses.filter((s) => s === 503).length}×503), ` +
        `peak ${emu.requests.peakConcurrency} in flight\n`,
    );

    emu.requests.clear();
    const again = await stack.up();
    expect(again.summary.resourceChanges).toEqual({ same: 102 });
    expect(writes()).toEqual([]);

    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
  });
});

describe("a namespace create whose answer is lost after Cloudflare applied it", () => {
  it("succeeds with the namespace it created: no failure, no duplicate, not marked adopted", async () => {
    emu.faults.dropNext({ method: "POST", path: "/dispatch/namespaces$", afterApply: true }).setVisibilityDelay(1_000);
    stack = await fleet("lost-answer", 2);
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(emu.requests.filter({ method: "POST" }).map((e) => e.fault?.kind ?? e.status)).toEqual(["drop-after", 400]);
    await expectConverged(stack, "lost-answer", 2);
    const { byType } = await stateResources(stack);
    expect(byType.DispatchNamespace.fleet.adopted).toBe(false);

    emu.requests.clear();
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 4 });
    expect(writes()).toEqual([]);
  });
});

describe("tenants uploaded right after their namespace was created", () => {
  it("wait while Cloudflare still answers that the new namespace does not exist, then succeed", async () => {
    emu.faults.setVisibilityDelay(3_000);
    stack = await fleet("not-yet-visible", 3);
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(scriptPuts().filter((e) => e.errorCode === 100119).length).toBeGreaterThan(0);
    await expectConverged(stack, "not-yet-visible", 3);
  });
});

describe("an engine killed in the middle of an up", () => {
  it("leaves a stack that the next up converges, with no tenant orphaned or duplicated", async () => {
    emu.faults.setLatency({ minMs: 30, maxMs: 120 }, 5);
    stack = await fleet("interrupted", 100, { CLOUDFLARE_WFP_MAX_CONCURRENCY: "4" });

    const run = startUp(stack);
    while (scriptPuts().filter((e) => e.status === 200).length < 20) {
      if ((await Promise.race([run.exited, new Promise((r) => setTimeout(() => r("running"), 50))])) !== "running") {
        throw new Error(`up ended before it could be killed:\n${run.output()}`);
      }
    }
    run.killHard();
    expect(await run.exited).toBeNull(); // killed, not finished
    const uploadedBeforeKill = new Set(
      scriptPuts()
        .filter((e) => e.status === 200)
        .map((e) => e.path),
    );
    expect(uploadedBeforeKill.size).toBeLessThan(100);

    // Killed while saving, the engine may leave an empty metadata sidecar that makes the state unreadable.
    const torn = removeTornAttributes(stack.backendDir);
    // Were the killed update's lock left in the file backend, `pulumi cancel` releases it (harmless otherwise).
    await stack.stack.cancel().catch(() => undefined);
    // Creates that were in flight are "pending": Cloudflare may or may not have them. Uploads are
    // upserts, so dropping them from the state and creating them again converges.
    const before = await stateResources(stack);
    process.stdout.write(
      `[reliability] killed after ${uploadedBeforeKill.size} uploads; ${before.pending.length} pending operations in state; ${torn.length} torn state sidecar(s) removed\n`,
    );
    await stack.refresh("--clear-pending-creates");

    emu.requests.clear();
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    await expectConverged(stack, "interrupted", 100);
    expect(emu.requests.filter({ method: "POST" })).toEqual([]); // the namespace was not created twice

    emu.requests.clear();
    expect((await stack.up()).summary.resourceChanges).toEqual({ same: 102 });
    expect(writes()).toEqual([]);
  });
});
