/**
 * A long fleet `up` tells where it is: the provider writes a progress line to stderr at a steady
 * cadence, and the CLI shows it, with the tenants done of the total, the requests in the current
 * rate window, the wait Cloudflare's limit imposes and the time left. A short step prints none.
 *
 * Cloudflare's limit is scaled to 40 requests per 4 s on both sides (the emulator's answers and the
 * provider's pacing), so 160 uploads take about 16 s; the cadence is 2 s instead of 10.
 */
import * as path from "node:path";
import { cli } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess } from "./harness/expect-cli";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const COUNT = 160;
const SCALED_RATE_LIMIT = { requests: 40, windowMs: 4_000 };
const PROGRESS =
  /cloudflare-wfp: fleet 'progress-fleet': (uploaded|deleted) (\d+) of (\d+) tenants; (\d+) requests in the last (\d+) s(?:; Cloudflare's rate limit holds requests for (\d+) s)?(?:; about (\d+ (?:s|min)) left at this rate)?/g;

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start({ rateLimit: SCALED_RATE_LIMIT });
  const pacing = `${SCALED_RATE_LIMIT.requests}/${SCALED_RATE_LIMIT.windowMs / 1000}`;
  project = await UserProject.create({
    source: path.join(programsDir, "count-fleet"),
    env: { ...emu.env, CLOUDFLARE_WFP_RATE_LIMIT: pacing, CLOUDFLARE_WFP_PROGRESS_INTERVAL: "2" },
  });
  await project.setConfig("namespace", "progress-fleet");
  await project.setConfig("count", String(COUNT));
});
tearDownAfterAll(() => ({ emu, project }));

/**
 * The progress lines as the run printed them. The CLI shows a dynamic provider's stderr on the
 * stack's row as it comes (`pulumi:pulumi:Stack <name> creating (8s) cloudflare-wfp: fleet …`), and
 * each line again in the summary of diagnostics after the run, which is left out here.
 */
const progressLines = (output: string) => [...output.split(/^Diagnostics:/m)[0].matchAll(PROGRESS)];

describe(`pulumi up of a fleet of ${COUNT} tenants paced by Cloudflare's rate limit`, () => {
  it("shows progress lines at a steady cadence: done of total, the window's requests, the wait, the time left", async () => {
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    const lines = progressLines(up.output);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const done = lines.map((m) => Number(m[2]));
    expect(done).toEqual([...done].sort((a, b) => a - b)); // counts only grow
    expect(done[done.length - 1]).toBeLessThan(COUNT);
    for (const m of lines) {
      expect(m[1]).toBe("uploaded");
      expect(Number(m[3])).toBe(COUNT);
      expect(Number(m[4])).toBeLessThanOrEqual(SCALED_RATE_LIMIT.requests);
      expect(Number(m[5])).toBe(SCALED_RATE_LIMIT.windowMs / 1000);
    }
    expect(lines.some((m) => m[6] !== undefined)).toBe(true); // the pacing made requests wait
    expect(lines.some((m) => m[7] !== undefined)).toBe(true);
  });

  it("prints none for a step shorter than the cadence: the destroy deletes by tag", async () => {
    // At the default cadence (10 s): after the up spent the window, the destroy's few requests may wait
    // a few seconds for it, longer than the 2 s cadence above.
    const destroy = await cli(["destroy", "--yes"], { cwd: project.dir, env: { ...project.env, CLOUDFLARE_WFP_PROGRESS_INTERVAL: "10" } });
    expectSuccess(destroy);
    expect(progressLines(destroy.output)).toEqual([]);
  });
});
