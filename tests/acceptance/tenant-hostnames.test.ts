/**
 * A TenantFleet of 100 tenants, each reached on its customer's own domain, run by a user with the
 * `pulumi` CLI: the preview counts the tenants and their hostnames in one line; after `up` and the
 * emulator's verification of every hostname, a request through the edge by hostname reaches the
 * tenant its metadata names; `refresh` shows the statuses change; a hostname given to another tenant
 * moves in place (one edit, no upload); a removed tenant takes its hostname with it, and `destroy` every one.
 */
import * as path from "node:path";
import type { CliResult } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(600_000);

const COUNT = 100;
/** Far below a line per tenant or per hostname: what a compact preview takes at this size. */
const COMPACT = 60;
let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.startWithEdge();
  project = await UserProject.create({ source: path.join(programsDir, "tenant-hostnames"), env: emu.env });
  const [zone] = await emu.api<Array<{ id: string }>>("GET", "/zones?name=example.com");
  await project.setConfig("zoneId", zone.id);
  await project.setConfig("count", String(COUNT));
});
tearDownAfterAll(() => ({ emu, project }));

/** Each `up` follows a `preview --diff` whose plan the spec has just checked: it skips a second preview of it. */
async function pulumi(...args: string[]): Promise<CliResult> {
  const result = await project.pulumi(...args);
  expectSuccess(result);
  return result;
}

const pad = (i: number) => String(i).padStart(3, "0");
const hostnameOf = (i: number) => `shop.customer-${pad(i)}.com`;
/** The zone's custom hostnames: name → the tenant its metadata names. */
const inZone = async () =>
  Object.fromEntries(
    (await emu.account()).zones.flatMap((z) => (z.customHostnames ?? []).map((h) => [h.hostname, h.custom_metadata?.tenant])),
  );
const answer = async (host: string) => {
  const res = await emu.edge(host, "/");
  return res.status === 200 ? { status: 200, json: JSON.parse(res.text) } : { status: res.status };
};
const lines = (result: CliResult) => result.output.split("\n").length;

describe("a fleet of 100 tenants on their customers' domains", () => {
  it("previews the tenants and their hostnames compactly, then creates every hostname pending", async () => {
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain(`${COUNT} to create (hostnames: ${COUNT} to create): create t-001, t-002,`);
    expect(lines(preview)).toBeLessThan(COMPACT);
    expect(preview.output).not.toContain(hostnameOf(COUNT));

    await pulumi("up", "--yes", "--skip-preview");
    const zone = await inZone();
    expect(Object.keys(zone)).toHaveLength(COUNT);
    expect(zone[hostnameOf(42)]).toBe("t-042");
    expect((await project.outputs()).hostnameStatuses).toBe(`${COUNT} pending`);
    expect(await answer(hostnameOf(1))).toEqual({ status: 530 }); // not verified yet: the edge does not serve it
  });

  it("serves each verified hostname from its tenant, with the hostname's metadata", async () => {
    for (let i = 1; i <= COUNT; i++) await emu.advanceCustomHostname(hostnameOf(i), { untilActive: true });
    for (const i of [1, 42, COUNT])
      expect(await answer(hostnameOf(i))).toEqual({
        status: 200,
        json: { tenant: `t-${pad(i)}`, hostMetadata: { tenant: `t-${pad(i)}` } },
      });
  });

  it("shows the statuses' change at refresh", async () => {
    // The program exports the fleet's `hostnameStatuses`: refresh with the program shows it move.
    const refresh = await pulumi("refresh", "--yes", "--run-program");
    expect(refresh.output).toContain(`~ hostnameStatuses: "${COUNT} pending" => "${COUNT} active"`);
    expect(resourceSummary(refresh.output)).toEqual({ unchanged: 5 }); // a status is news, not drift: nothing for up to restore
    expect((await project.outputs()).hostnameStatuses).toBe(`${COUNT} active`);
  });

  it("moves a hostname to another tenant in place: one edit, no upload, still verified", async () => {
    await project.setConfig("moved", JSON.stringify({ [hostnameOf(7)]: "t-008" }));
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain(
      `2 to update, ${COUNT - 2} unchanged (hostnames: 1 to move): update t-007 (hostnames), t-008 (hostnames); move ${hostnameOf(7)} → t-008`,
    );
    await emu.clearRequests();
    const up = await pulumi("up", "--yes", "--skip-preview");
    expect(resourceSummary(up.output)).toMatchObject({ updated: 1 });
    const writes = await emu.writes();
    expect(writes.filter((w) => w.includes("/custom_hostnames"))).toEqual([
      expect.stringMatching(/^PATCH .*\/custom_hostnames\/[0-9a-f-]+$/),
    ]);
    expect(writes.filter((w) => w.startsWith("PUT "))).toEqual([]);
    expect(await answer(hostnameOf(7))).toEqual({ status: 200, json: { tenant: "t-008", hostMetadata: { tenant: "t-008" } } });
    expect((await project.outputs()).hostnameStatuses).toBe(`${COUNT} active`);
  });

  it("deletes a removed tenant's hostname with it", async () => {
    await project.setConfig("removed", JSON.stringify([`t-${pad(COUNT)}`]));
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain(`1 to delete, ${COUNT - 1} unchanged (hostnames: 1 to delete): delete t-${pad(COUNT)}`);
    await pulumi("up", "--yes", "--skip-preview");
    const zone = await inZone();
    expect(zone).not.toHaveProperty(hostnameOf(COUNT));
    expect(Object.keys(zone)).toHaveLength(COUNT - 1);
    expect((await answer(hostnameOf(COUNT))).status).toBe(404);
    const scripts = (await emu.account()).dispatchNamespaces.find((n) => n.namespace_name === "hostname-tenants")?.scripts ?? {};
    expect(Object.keys(scripts)).not.toContain(`t-${pad(COUNT)}`);
  });

  it("is destroyed with every tenant's hostname", async () => {
    await pulumi("destroy", "--yes");
    expect(await inZone()).toEqual({});
    const namespaces = (await emu.account()).dispatchNamespaces.map((n) => n.namespace_name);
    expect(namespaces).not.toContain("hostname-tenants");
  });
});
