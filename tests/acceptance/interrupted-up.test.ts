/**
 * `pulumi up` killed with SIGKILL (its whole process tree: CLI, language host, program, provider),
 * as a crashed CI runner or a closed laptop ends it, and the recovery docs/using/recovery.md documents:
 * `pulumi cancel`, `pulumi refresh --clear-pending-creates`, `adopt: true` for a namespace the killed
 * run created, `pulumi up`. Afterwards Cloudflare and the state agree and nothing is orphaned.
 */
import * as path from "node:path";
import { removeTornAttributes } from "../harness/torn-checkpoint";
import type { CliRun } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectFailure, expectSuccess } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { cloudflareObjects, stateObjects } from "./harness/objects";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const COUNT = 30;

async function tenantsProject(emu: EmulatorProcess, namespace: string): Promise<UserProject> {
  const project = await UserProject.create({ source: path.join(programsDir, "tenants"), env: emu.env });
  await project.setConfig("namespace", namespace);
  await project.setConfig("count", String(COUNT));
  return project;
}

/**
 * Waits until `seen` holds for the emulator's request log, failing if the run ends first. The ups killed
 * and the ones that recover skip their preview phase: what they are judged by (the writes, the state
 * after) is the update's, and a preview of 30 tenants through a slowed Cloudflare only delays it.
 */
async function killWhen(
  run: CliRun,
  emu: EmulatorProcess,
  seen: (log: Awaited<ReturnType<EmulatorProcess["requests"]>>) => boolean,
): Promise<void> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  while (!seen(await emu.requests())) {
    if (ended) throw new Error(`pulumi up ended before it could be killed:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  run.killHard();
  expect((await run.exited).code).toBeNull(); // killed, not finished
}

const tenantUploads = (log: Awaited<ReturnType<EmulatorProcess["requests"]>>) =>
  log.filter((r) => r.method === "PUT" && /\/scripts\/tenant-\d+$/.test(r.path) && r.status === 200).length;
const namespaceCreates = (log: Awaited<ReturnType<EmulatorProcess["requests"]>>) =>
  log.filter((r) => r.method === "POST" && /\/dispatch\/namespaces$/.test(r.path));

/**
 * The documented first steps: make the state readable if the kill landed while it was saved (no-op
 * otherwise), release the dead run's lock, then forget the creates it left pending.
 */
async function cancelAndClearPendingCreates(project: UserProject): Promise<void> {
  removeTornAttributes(project.backendDir);
  expectSuccess(await project.pulumi("cancel", "--yes"));
  const refresh = await project.pulumi("refresh", "--clear-pending-creates", "--yes");
  expectSuccess(refresh);
  expect((await project.deployment()).pending_operations ?? []).toEqual([]);
}

async function expectConverged(emu: EmulatorProcess, project: UserProject): Promise<void> {
  const inState = stateObjects(await project.deployment());
  expect(inState).toHaveLength(COUNT + 1);
  expect(cloudflareObjects(await emu.account())).toEqual(inState);
  await expectNoChanges(emu, project, COUNT + 2); // the stack, the namespace and the tenants
}

describe("pulumi up killed mid-create of 30 tenants", () => {
  let emu: EmulatorProcess;
  let project: UserProject;

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    project = await tenantsProject(emu, "interrupted-tenants");
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("is killed with some tenants uploaded and others not", async () => {
    await emu.faults({ latency: { minMs: 200, maxMs: 600 } }); // a slow Cloudflare, so the kill lands mid-way
    await killWhen(project.start("up", "--yes", "--skip-preview"), emu, (log) => tenantUploads(log) >= 5);
    const uploaded = tenantUploads(await emu.requests());
    expect(uploaded).toBeLessThan(COUNT);
    await emu.clearFaults();
  });

  it("leaves the stack locked: the next command refuses to run", async () => {
    let refused = expectFailure(await project.pulumi("refresh", "--yes"));
    if (/failed to load checkpoint: EOF/.test(refused)) {
      // The kill landed while the engine saved the state: the recovery page's step 0 makes it readable again.
      expect(removeTornAttributes(project.backendDir)).not.toEqual([]);
      refused = expectFailure(await project.pulumi("refresh", "--yes"));
    }
    expect(refused).toMatch(/locked/);
  });

  it("recovers with pulumi cancel, refresh --clear-pending-creates and up: state and Cloudflare agree", async () => {
    await cancelAndClearPendingCreates(project);
    await emu.clearRequests();
    expectSuccess(await project.pulumi("up", "--yes", "--skip-preview"));
    expect(namespaceCreates(await emu.requests())).toEqual([]); // the namespace was made once, by the killed run
    await expectConverged(emu, project);
  });
});

describe("pulumi up killed while its namespace create is in flight", () => {
  let emu: EmulatorProcess;
  let project: UserProject;
  const namespace = "interrupted-namespace";

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    project = await tenantsProject(emu, namespace);
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("is killed after Cloudflare received the create but before the answer came back", async () => {
    await emu.faults({ latency: { ms: 3_000 } });
    await killWhen(project.start("up", "--yes", "--skip-preview"), emu, (log) => namespaceCreates(log).length > 0);
    // Cloudflare still carries out a request whose client went away.
    while (!(await emu.account()).dispatchNamespaces.some((ns) => ns.namespace_name === namespace))
      await new Promise((r) => setTimeout(r, 200));
    await emu.clearFaults();
    expect(stateObjects(await project.deployment())).toEqual([]);
  });

  it("then fails to create the namespace again once the pending create is cleared: it exists", async () => {
    await cancelAndClearPendingCreates(project);
    const failed = expectFailure(await project.pulumi("up", "--yes"));
    expect(failed).toContain(namespace);
    expect(failed).toMatch(/already exists/);
    expect(failed).toMatch(/set adopt: true/);
  });

  it("recovers by adopting it for one up: state and Cloudflare agree, one namespace", async () => {
    await project.setConfig("adopt", "true");
    expectSuccess(await project.pulumi("up", "--yes", "--skip-preview"));
    expect((await emu.account()).dispatchNamespaces.map((ns) => ns.namespace_name)).toEqual([namespace]);
    await expectConverged(emu, project);
  });
});
