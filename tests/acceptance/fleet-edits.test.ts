/**
 * A platform's daily changes to a TenantFleet, by a user with the `pulumi` CLI: every customer
 * re-tagged with a new plan, one customer's API key rotated, then a key every staff tenant shares
 * (in `defaults`). Each `up` sends only the small calls that carry the change (a tag call per
 * tenant, with the fleet's own tags; a secret call per tenant holding the secret) and never a
 * tenant's code; afterwards refresh finds no drift and preview no change. No secret value appears
 * in anything the CLI prints or state holds.
 */
import * as path from "node:path";
import type { CliResult } from "../harness/pulumi-cli";
import { EmulatorProcess } from "./harness/emulator-process";
import { resourceSummary, succeedingPulumi } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const CUSTOMERS = Array.from({ length: 50 }, (_, i) => `t-${String(i).padStart(3, "0")}`);
const STAFF = ["s-1", "s-2", "s-3", "s-4", "s-5"];
/** The stack, two namespaces, two fleets. */
const RESOURCES = 5;
const keys = { tenantKey: "tenant-key-one-5c1e", sharedKey: "shared-key-one-9d02" };
const rotated = { tenantKey: "tenant-key-two-77ab", sharedKey: "shared-key-two-e4f0" };
let emu: EmulatorProcess;
let project: UserProject;
/** Everything the CLI printed, for the one check that no secret appears in any of it. */
const printed: string[] = [];

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(programsDir, "fleet-edits"), env: emu.env });
  await project.setConfig("plan", "free");
  await project.setConfig("tenantKey", keys.tenantKey, { secret: true });
  await project.setConfig("sharedKey", keys.sharedKey, { secret: true });
  await pulumi("up", "--yes", "--skip-preview"); // the fleets to start from: what a preview shows is checked below, not here
});
tearDownAfterAll(() => ({ emu, project }));

const pulumi = (...args: string[]): Promise<CliResult> => succeedingPulumi(project, printed)(...args);

/** The writes Cloudflare saw, each as "METHOD <namespace>/scripts/<rest>" with its body (the log never holds a secret's value). */
async function written(): Promise<Array<{ call: string; body: unknown }>> {
  const prefix = `/accounts/${emu.accountId}/workers/dispatch/namespaces/`;
  return (await emu.requests())
    .filter((r) => r.method !== "GET")
    .map((r) => ({ call: `${r.method} ${r.path.replace(prefix, "")}`, body: r.body }));
}
/** Uploads of a tenant's script itself (its code). */
const uploads = (writes: Array<{ call: string }>) => writes.filter((w) => /^PUT [^/]+\/scripts\/[^/]+$/.test(w.call));
const scriptsOf = async (namespace: string) =>
  (await emu.account()).dispatchNamespaces.find((n) => n.namespace_name === namespace)!.scripts;

/**
 * After an `up`: a refresh that finds nothing changed outside Pulumi, then a preview with no change and no write.
 * The refresh goes without its own preview, which would read every tenant once more to show the same.
 */
async function expectNoDriftAndNoChange(): Promise<void> {
  const refresh = await pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes");
  expect(resourceSummary(refresh.output)).toEqual({ unchanged: RESOURCES });
  await expectNoChanges(emu, project, RESOURCES);
}

describe("a fleet's tags and secrets changed without its tenants' code", () => {
  it("re-tags 50 tenants with one tag call each, the fleet's own tags included, and no upload", async () => {
    const before = await scriptsOf("fleet-edits");
    await project.setConfig("plan", "pro");
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain("50 to update: update t-000 (tags), t-001 (tags),");
    await emu.clearRequests();
    const up = await pulumi("up", "--yes");
    expect(resourceSummary(up.output)).toMatchObject({ updated: 1, unchanged: RESOURCES - 1 });

    const writes = await written();
    expect(uploads(writes)).toEqual([]);
    expect(writes.map((w) => w.call).sort()).toEqual(CUSTOMERS.map((t) => `PUT fleet-edits/scripts/${t}/tags`));
    const after = await scriptsOf("fleet-edits");
    for (const { call, body } of writes) {
      const name = call.split("/")[2];
      // The whole list: the tenant's tag, the fleet's, and (no secret declared) the tag of the spec now uploaded.
      const expected =
        name === "t-003"
          ? ["plan-pro", "pulumi-tenant-fleet"]
          : ["plan-pro", "pulumi-tenant-fleet", expect.stringMatching(/^pulumi-spec-[0-9a-f]{16}$/)];
      expect(body).toEqual(expected);
      expect(after[name].tags).toEqual(body);
      expect(after[name].etag).toBe(before[name].etag);
    }
    const lists = (await emu.requests()).filter((r) => r.method === "GET" && r.path.endsWith("/namespaces/fleet-edits/scripts"));
    expect(lists).toHaveLength(1); // the tenants' new modification times, one page
    await expectNoDriftAndNoChange();
  });

  it("rotates one tenant's key with one secret call", async () => {
    await project.setConfig("tenantKey", rotated.tenantKey, { secret: true });
    const preview = await pulumi("preview", "--diff");
    expect(preview.output).toContain("1 to update, 49 unchanged: update t-003 (secretBindings.API_KEY)");
    await emu.clearRequests();
    await pulumi("up", "--yes", "--diff");
    expect(await written()).toEqual([{ call: "PUT fleet-edits/scripts/t-003/secrets", body: { name: "API_KEY", type: "secret_text" } }]);
    expect(await emu.secretMatches({ namespace: "fleet-edits", script: "t-003", name: "API_KEY" }, rotated.tenantKey)).toBe(true);
    await expectNoDriftAndNoChange();
  });

  it("rotates a key in the defaults with one secret call per tenant sharing it", async () => {
    await project.setConfig("sharedKey", rotated.sharedKey, { secret: true });
    await emu.clearRequests();
    await pulumi("up", "--yes", "--diff");
    const writes = await written();
    expect(writes.map((w) => w.call).sort()).toEqual(STAFF.map((s) => `PUT fleet-edits-staff/scripts/${s}/secrets`));
    for (const { body } of writes) expect(body).toEqual({ name: "SHARED_KEY", type: "secret_text" });
    for (const s of STAFF)
      expect(await emu.secretMatches({ namespace: "fleet-edits-staff", script: s, name: "SHARED_KEY" }, rotated.sharedKey)).toBe(true);
    await expectNoDriftAndNoChange();
  });

  it("never prints a secret value, nor writes one into state", async () => {
    const state = JSON.stringify(await project.deployment());
    expect(printed.length).toBeGreaterThan(8);
    for (const value of [...Object.values(keys), ...Object.values(rotated)]) {
      for (const output of printed) expect(output).not.toContain(value);
      expect(state).not.toContain(value);
    }
  });
});
