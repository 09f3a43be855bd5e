/**
 * A TenantFleet's recovery and teardown read the namespace by the page, through the real CLI.
 *
 * A first `up` of 300 tenants is killed mid-way; after the README's recovery (`pulumi cancel`,
 * `pulumi refresh --clear-pending-creates`, `pulumi up`) the fleet's state has lost every tenant the
 * killed run uploaded, yet the next `up` costs one list page per 1000 scripts, one upload per tenant
 * not yet uploaded and a few requests besides: the tags the fleet put on each upload say which
 * listed scripts are already as declared. Removing every tenant, and destroying the fleet, delete by
 * that tag in one call, and a script the fleet does not own stays.
 */
import * as path from "node:path";
import { removeTornAttributes } from "../harness/torn-checkpoint";
import type { CliRun } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { cloudflareObjects, stateObjects } from "./harness/objects";
import { namespacedScriptPath, uploadScript } from "./harness/out-of-band";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const COUNT = 300;
const NAMESPACE = "recovered-fleet";
/** Requests besides list pages, uploads and deletes (the account check, the namespace's own): two were measured. */
const FEW = 3;
const PAGES = Math.ceil(COUNT / 1000);

type RequestLog = Awaited<ReturnType<EmulatorProcess["requests"]>>;
const tenantUploads = (log: RequestLog) =>
  log.filter((r) => r.method === "PUT" && /\/scripts\/tenant-\d+$/.test(r.path) && r.status === 200).length;
const tenantDeletes = (log: RequestLog) => log.filter((r) => r.method === "DELETE" && /\/scripts\/tenant-\d+$/.test(r.path)).length;
const deletesByTag = (log: RequestLog) =>
  log.filter((r) => r.method === "DELETE" && /\/scripts$/.test(r.path) && /tags=/.test(r.query)).length;
const listPages = (log: RequestLog) => log.filter((r) => r.method === "GET" && /\/scripts$/.test(r.path)).length;
const tenantScripts = async (emu: EmulatorProcess) =>
  (await emu.account()).dispatchNamespaces.flatMap((ns) => Object.keys(ns.scripts)).filter((s) => /^tenant-\d+$/.test(s));

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(programsDir, "count-fleet"), env: emu.env });
  await project.setConfig("namespace", NAMESPACE);
  await project.setConfig("count", String(COUNT));
});
tearDownAfterAll(() => ({ emu, project }));

async function killAfterUploads(run: CliRun, uploads: number): Promise<void> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  while (tenantUploads(await emu.requests()) < uploads) {
    if (ended) throw new Error(`pulumi up ended before it could be killed:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  run.killHard();
  await run.exited;
}

async function expectConverged(): Promise<void> {
  const inState = stateObjects(await project.deployment({ showSecrets: true }));
  expect(inState).toHaveLength(COUNT + 1);
  expect(cloudflareObjects(await emu.account())).toEqual(inState);
  await expectNoChanges(emu, project, 3);
}

describe(`a fleet of ${COUNT} tenants`, () => {
  let uploadedBefore = 0;

  it("is killed mid-way through its first up", async () => {
    await emu.faults({ latency: { minMs: 100, maxMs: 400 } });
    await killAfterUploads(project.start("up", "--yes"), 100);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // what was on the wire is answered
    await emu.clearFaults();
    uploadedBefore = (await tenantScripts(emu)).length;
    expect(uploadedBefore).toBeGreaterThanOrEqual(100);
    expect(uploadedBefore).toBeLessThan(COUNT);
  });

  it("recovers with one list page, one upload per tenant not yet uploaded, and a few requests besides", async () => {
    removeTornAttributes(project.backendDir);
    expectSuccess(await project.pulumi("cancel", "--yes"));
    expectSuccess(await project.pulumi("refresh", "--clear-pending-creates", "--yes"));
    expect(stateObjects(await project.deployment())).toEqual([`namespace ${NAMESPACE}`]); // the fleet's tenants are forgotten
    await emu.clearRequests();
    expectSuccess(await project.pulumi("up", "--yes"));
    const log = await emu.requests();
    console.log(
      `recovery of ${COUNT} tenants, ${uploadedBefore} uploaded before the kill: ${log.length} requests (${listPages(log)} list pages, ${tenantUploads(log)} uploads)`,
    );
    expect(tenantUploads(log)).toBe(COUNT - uploadedBefore);
    expect(listPages(log)).toBe(PAGES);
    expect(log.length).toBeLessThanOrEqual(PAGES + (COUNT - uploadedBefore) + FEW);
    await expectConverged();
  });

  it("deletes every tenant by its tag in one call when the program removes them all, and keeps a script it does not own", async () => {
    await uploadScript(
      emu,
      namespacedScriptPath(emu, NAMESPACE, "outsider"),
      "export default { fetch() { return new Response('mine'); } };",
      { tags: ["someone-else"] },
    );
    await project.setConfig("count", "0");
    await emu.clearRequests();
    expectSuccess(await project.pulumi("up", "--yes"));
    const log = await emu.requests();
    console.log(`removing ${COUNT} tenants: ${log.length} requests`);
    expect(deletesByTag(log)).toBe(1);
    expect(tenantDeletes(log)).toBe(0);
    expect(log.length).toBeLessThanOrEqual(PAGES + 1 + FEW);
    expect(await tenantScripts(emu)).toEqual([]);
    expect(cloudflareObjects(await emu.account())).toEqual([`namespace ${NAMESPACE}`, `script ${NAMESPACE}/outsider`]);
  });

  it("is destroyed with one list page and one delete by tag", async () => {
    await project.setConfig("count", String(COUNT));
    expectSuccess(await project.pulumi("up", "--yes"));
    await emu.clearRequests();
    expectSuccess(await project.pulumi("destroy", "--yes"));
    const log = await emu.requests();
    console.log(`destroy of ${COUNT} tenants and their namespace: ${log.length} requests`);
    expect(deletesByTag(log)).toBe(1);
    expect(tenantDeletes(log)).toBe(0);
    expect(log.length).toBeLessThanOrEqual(PAGES + 1 + 1 + FEW); // and the namespace's delete
    expect(cloudflareObjects(await emu.account())).toEqual([]);
  });
});
