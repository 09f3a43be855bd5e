/**
 * State per tenant of a TenantFleet written with the binding helpers, as a user measures it: the
 * benchmark's program (bench/fleet-helpers-program: a string, `json(...)`, `secret(...)` and a
 * KVNamespace binding per tenant) at 300 tenants, `pulumi up`, then `pulumi stack export`.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { repoRoot } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const TENANTS = 300;
let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(repoRoot, "bench", "fleet-helpers-program"), env: emu.env });
  await project.setConfig("tenants", String(TENANTS));
});
tearDownAfterAll(() => ({ emu, project }));

/** The API key the program gives a tenant (its secret binding). */
const apiKeyOf = (name: string) => `sk_${createHash("sha256").update(name).digest("hex").slice(0, 24)}`;

describe(`a fleet of ${TENANTS} helper-written tenants`, () => {
  it("goes up, and its whole exported state is under 250 bytes per tenant", async () => {
    expectSuccess(await project.pulumi("up", "--yes"));
    expect(
      Object.keys((await emu.account()).dispatchNamespaces.find((ns) => ns.namespace_name === "bench-fleet-helpers")!.scripts),
    ).toHaveLength(TENANTS);
    const bytes = Buffer.byteLength(JSON.stringify(await project.deployment()));
    expect(bytes / TENANTS).toBeLessThan(250);
  });

  it("keeps every secret value out of state in plain text", async () => {
    const state = JSON.stringify(await project.deployment());
    for (const name of ["tenant-00000", "tenant-00150", "tenant-00299"]) expect(state).not.toContain(apiKeyOf(name));
    expect(JSON.stringify(await project.deployment({ showSecrets: true }))).toContain(apiKeyOf("tenant-00150"));
  });

  it("previews no change", async () => {
    const preview = await project.pulumi("preview");
    expectSuccess(preview);
    expect(resourceSummary(preview.output)).toEqual({ unchanged: 4 });
  });
});
