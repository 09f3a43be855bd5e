/**
 * What `pulumi preview --diff` shows for a TenantFleet of 2,000 tenants, run by a user through the
 * CLI: never every tenant, but `changes` naming the tenants that change with the properties that
 * change, and how many are unchanged; on the first preview, after one tenant's change, after a
 * refresh found a tenant changed outside Pulumi (the preview names exactly what `up` then writes),
 * on state whose inputs hold the specs as earlier releases wrote them, and at destroy. No secret
 * value appears in anything the CLI prints.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliResult } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { resourceSummary, succeedingPulumi } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { editBindings, namespacedScriptPath } from "./harness/out-of-band";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(600_000);

const COUNT = 2000;
/** Far below one line per tenant: what a compact preview of the fleet takes, whatever its size. */
const COMPACT = 200;
const tenantKey = "fleet-preview-tenant-key-7f3a";
let emu: EmulatorProcess;
let project: UserProject;
/** Everything the CLI printed, for the one check that no secret appears in any of it. */
const printed: string[] = [];

/**
 * Cloudflare's budget of 1200 requests per 5 minutes with the window scaled to 3 s, on both sides
 * (the emulator's answers and the provider's pacing), as the fleet bench runs: 2,000 uploads would
 * otherwise wait out a real 5-minute window, twice, which this spec is not about.
 */
const SCALED_RATE_LIMIT = { requests: 1200, windowMs: 3_000 };

beforeAll(async () => {
  emu = await EmulatorProcess.start({ rateLimit: SCALED_RATE_LIMIT });
  const pacing = `${SCALED_RATE_LIMIT.requests}/${SCALED_RATE_LIMIT.windowMs / 1000}`;
  project = await UserProject.create({
    source: path.join(programsDir, "fleet-preview"),
    env: { ...emu.env, CLOUDFLARE_WFP_RATE_LIMIT: pacing },
  });
  await project.setConfig("count", String(COUNT));
  await project.setConfig("tenantKey", tenantKey, { secret: true });
});
tearDownAfterAll(() => ({ emu, project }));

const pulumi = (...args: string[]): Promise<CliResult> => succeedingPulumi(project, printed)(...args);
// Each `up` follows a `preview --diff` whose plan the spec has just checked, and the refresh is judged by the
// preview after it: `--skip-preview` spares them a second preview of 2,000 tenants that would show nothing new.

const lines = (result: CliResult) => result.output.split("\n").length;
/** The tenant scripts `up` wrote, by name. */
const tenantWrites = async () => (await emu.writes()).flatMap((w) => /^PUT .*\/scripts\/(t-\d+)$/.exec(w)?.[1] ?? []);

describe("preview --diff of a fleet of 2,000 tenants", () => {
  it("is compact on the first preview: every tenant to create, counted, the first few named", async () => {
    const preview = await pulumi("preview", "--diff");
    expect(resourceSummary(preview.output)).toEqual({ create: 3 });
    // The CLI shortens a long value on a create ("t-00014,..."): the count comes first.
    expect(preview.output).toContain(`${COUNT} to create: create t-00000, t-00001,`);
    expect(lines(preview)).toBeLessThan(COMPACT);
    expect(preview.output).not.toContain("t-01999");
  });

  it("goes up with one upload per tenant", async () => {
    await emu.clearRequests();
    await pulumi("up", "--yes", "--skip-preview");
    expect(await tenantWrites()).toHaveLength(COUNT);
  });

  it("names the one tenant that changed and its property, counts the 1999 others, and up writes only it", async () => {
    await project.setConfig("upgraded", "t-00007");
    await emu.clearRequests();
    const preview = await pulumi("preview", "--diff");
    expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
    expect(preview.output).toContain(`1 to update, ${COUNT - 1} unchanged: update t-00007 (bindings.PLAN)`);
    expect(lines(preview)).toBeLessThan(COMPACT);
    expect(preview.output).not.toContain("enterprise"); // a spec's values are not printed
    await pulumi("up", "--yes", "--skip-preview");
    expect(await tenantWrites()).toEqual(["t-00007"]);
  });

  it("after a refresh found a tenant changed outside Pulumi, names that tenant, and up writes exactly it", async () => {
    await editBindings(emu, namespacedScriptPath(emu, "fleet-preview", "t-00005"), (bindings) =>
      bindings.map((b) => (b.name === "PLAN" ? { ...b, text: "changed-outside" } : b)),
    );
    await pulumi("refresh", "--yes", "--skip-preview");
    await emu.clearRequests();
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain(`1 to update, ${COUNT - 1} unchanged: update t-00005 (changed outside Pulumi)`);
    expect(lines(preview)).toBeLessThan(COMPACT);
    await pulumi("up", "--yes", "--skip-preview");
    expect(await tenantWrites()).toEqual(["t-00005"]);
    await expectNoChanges(emu, project, 3);
  });

  it("reads state whose inputs hold the specs as earlier releases wrote them (tenants, defaults): no change, then a compact diff", async () => {
    const file = path.join(project.dir, "state.json");
    const exported = JSON.parse((await pulumi("stack", "export")).stdout) as {
      deployment: { resources: Array<{ type: string; inputs: Record<string, unknown> }> };
    };
    const fleet = exported.deployment.resources.find((r) => r.type.endsWith(":TenantFleet"))!;
    const { __tenants, __defaults, ...rest } = fleet.inputs;
    fleet.inputs = { ...rest, tenants: __tenants, defaults: __defaults };
    fs.writeFileSync(file, JSON.stringify(exported));
    await pulumi("stack", "import", "--file", file);
    await expectNoChanges(emu, project, 3);
    await project.setConfig("upgraded", "t-00009");
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain(`2 to update, ${COUNT - 2} unchanged: update t-00007 (bindings.PLAN), t-00009 (bindings.PLAN)`);
    expect(lines(preview)).toBeLessThan(COMPACT);
    expect(preview.output).not.toContain("t-01999");
    await emu.clearRequests();
    await pulumi("up", "--yes", "--skip-preview");
    expect((await tenantWrites()).sort()).toEqual(["t-00007", "t-00009"]);
    // The up wrote the inputs in today's form: a destroy (which prints the old inputs whole) stays compact.
    const { deployment } = JSON.parse((await pulumi("stack", "export")).stdout) as typeof exported;
    expect(Object.keys(deployment.resources.find((r) => r.type.endsWith(":TenantFleet"))!.inputs)).toEqual(
      expect.arrayContaining(["__tenants", "__defaults"]),
    );
    expect(Object.keys(deployment.resources.find((r) => r.type.endsWith(":TenantFleet"))!.inputs)).not.toContain("tenants");
  });

  it("is compact at destroy too", async () => {
    const destroy = await pulumi("destroy", "--yes", "--diff");
    expect(resourceSummary(destroy.output)).toEqual({ deleted: 3 });
    expect(lines(destroy)).toBeLessThan(COMPACT);
  });

  it("never prints a secret value", () => {
    expect(printed.length).toBeGreaterThan(8);
    for (const output of printed) expect(output).not.toContain(tenantKey);
  });
});
