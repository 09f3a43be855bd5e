/**
 * `pulumi up` killed with SIGKILL sent to its process group, as a cancelled CI job or a closed
 * terminal ends it. The engine starts its provider plugins in groups of their own, so the provider
 * survives the kill: it must notice, send nothing more, and exit, for a fleet and for a stack of
 * single-script resources alike.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliRun } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

type RequestLog = Awaited<ReturnType<EmulatorProcess["requests"]>>;
/** Tenant uploads into `namespace`: both stacks of this spec share one emulator and its request log. */
const uploads = (log: RequestLog, namespace: string) =>
  log.filter((r) => r.method === "PUT" && new RegExp(`/namespaces/${namespace}/scripts/tenant-\\d+$`).test(r.path)).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dynamic provider processes serving this project (their working directory is the project's). */
function providerProcesses(projectDir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("dynamic-provider") && fs.readlinkSync(`/proc/${entry}/cwd`) === projectDir) found.push(Number(entry));
    } catch {
      // The process ended while the table was read.
    }
  }
  return found;
}

/** Starts `up`, kills the CLI's process group once `uploadsBefore` tenants went up, and returns the uploads counted then. */
async function killGroupAfter(run: CliRun, emu: EmulatorProcess, namespace: string, uploadsBefore: number): Promise<number> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  while (uploads(await emu.requests(), namespace) < uploadsBefore) {
    if (ended) throw new Error(`pulumi up ended before it could be killed:\n${run.output()}`);
    await sleep(100);
  }
  run.killGroup();
  await run.exited;
  return uploads(await emu.requests(), namespace);
}

async function expectProviderToStop(emu: EmulatorProcess, project: UserProject, namespace: string, total: number): Promise<void> {
  const atKill = await killGroupAfter(project.start("up", "--yes", "--skip-preview"), emu, namespace, 20);
  expect(atKill).toBeLessThan(total);
  // Within a few seconds: what was on the wire is answered, nothing new starts, the provider is gone.
  await sleep(4_000);
  const settled = uploads(await emu.requests(), namespace);
  await sleep(4_000);
  expect(uploads(await emu.requests(), namespace)).toBe(settled);
  expect(settled).toBeLessThan(total);
  expect(providerProcesses(project.dir)).toEqual([]);
}

describe("the provider of a killed pulumi up", () => {
  let emu: EmulatorProcess;
  let fleet: UserProject;
  let single: UserProject;

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    await emu.faults({ latency: { minMs: 100, maxMs: 400 } }); // a Cloudflare slow enough for the kill to land mid-way
    fleet = await UserProject.create({ source: path.join(programsDir, "count-fleet"), env: emu.env });
    await fleet.setConfig("namespace", "killed-fleet");
    await fleet.setConfig("count", "600");
    single = await UserProject.create({ source: path.join(programsDir, "tenants"), env: emu.env });
    await single.setConfig("namespace", "killed-tenants");
    await single.setConfig("count", "120");
  });
  tearDownAfterAll(() => ({ emu, project: fleet }));
  afterAll(() => single?.dispose());

  it("of a TenantFleet stops uploading and exits within seconds", async () => {
    await expectProviderToStop(emu, fleet, "killed-fleet", 600);
  });

  it("of a stack of NamespacedWorkerScripts stops uploading and exits within seconds", async () => {
    await expectProviderToStop(emu, single, "killed-tenants", 120);
  });
});
