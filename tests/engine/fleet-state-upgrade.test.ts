/**
 * A TenantFleet's state as the previous release wrote it (each tenant with a secret binding a secret
 * of its own, the tenants' states a line each) is read by the current package with no change shown;
 * refresh and the next up rewrite it in the current form, which holds no secret value in plain text
 * and still uploads a tenant whose secret changed, alone.
 */
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { installEarlier, upgradeInstalled } from "./harness/earlier-package";
import { repoRoot } from "./harness/paths";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(600_000);

/** The release before the fleet's state became compact. */
const EARLIER = "e48ec4d";
const TENANTS = 12;
const KEY_BASE = "fleet-key-base";
const upgradeWorkspace = path.join(repoRoot, ".pulumi-test", "fleet-state-upgrade");

let emu: Emulator;
let stack: TestStack;

type StateResource = { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
/** The fleet's resource in state, secrets decrypted (the Automation API exports with --show-secrets). */
const fleetState = async () =>
  ((await stack.stack.exportStack()).deployment.resources as StateResource[]).find((r) => r.type.endsWith(":TenantFleet"))!;
/** A secret's decrypted value in an export: `{ <sig>: ..., plaintext: "<JSON>" }`. */
const plaintextOf = (value: unknown) => JSON.parse((value as { plaintext: string }).plaintext) as unknown;
// Every write: a tenant's upload is its name, a secret sent alone "<name>/secrets".
const uploads = () => emu.requests.writes().map((w) => w.path.replace(/^.*\/scripts\//, ""));

beforeAll(async () => {
  installEarlier(EARLIER, upgradeWorkspace);
  emu = await startEmulator();
  stack = await TestStack.create({
    program: "fleet-helpers",
    env: { ...emu.env },
    workspace: upgradeWorkspace,
    config: { tenants: String(TENANTS), namespace: "fleet-upgrade", keyBase: { value: KEY_BASE, secret: true } },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

describe(`a fleet of helper-written tenants deployed with the package at ${EARLIER}`, () => {
  it("goes up with that version, each tenant a secret of its own and the states a line each", async () => {
    expect((await stack.up()).summary.result).toBe("succeeded");
    const fleet = await fleetState();
    expect((fleet.inputs!.tenants as Record<string, unknown>)["tenant-0001"]).toHaveProperty("plaintext");
    expect(plaintextOf(fleet.outputs!.scripts)).toMatch(/^tenant-0000 /);
  });

  describe("after upgrading the installed package", () => {
    beforeAll(() => upgradeInstalled(upgradeWorkspace));

    it("previews no change", async () => {
      expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
    });

    it("refreshes with no change, rewriting the tenants' states in the current form", async () => {
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges).toEqual({ same: 4 });
      expect(plaintextOf((await fleetState()).outputs!.scripts)).toMatch(/^#2 /);
      expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
    });

    it("goes up with no upload, registering the tenants in the current form: texts in plain, their secrets as one secret", async () => {
      emu.requests.clear();
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ same: 4 });
      expect(uploads()).toEqual([]);
      const fleet = await fleetState();
      const tenants = fleet.inputs!.__tenants as Record<string, unknown>; // the current form registers the specs as __tenants
      expect(typeof tenants["tenant-0001"]).toBe("string");
      expect(tenants["tenant-0001"]).not.toContain(KEY_BASE);
      expect(plaintextOf(fleet.inputs!.tenantSecrets)).toContain(`${KEY_BASE}-tenant-0001`);
      expect(stack.allBackendText()).not.toContain(KEY_BASE);
    });

    it("sends a tenant whose secret changed its new value alone, with no upload", async () => {
      await stack.setConfig({ rotated: "tenant-0003" });
      emu.requests.clear();
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ same: 3, update: 1 });
      expect(uploads()).toEqual(["tenant-0003/secrets"]);
      expect(emu.state.script("fleet-upgrade", "tenant-0003")!.bindings).toContainEqual({
        type: "secret_text",
        name: "API_KEY",
        text: `${KEY_BASE}-tenant-0003-rotated`,
      });
      expect(stack.allBackendText()).not.toContain(KEY_BASE);
    });

    it("destroys everything", async () => {
      expect((await stack.destroy()).summary.result).toBe("succeeded");
      expect(emu.state.namespaces()).toEqual([]);
    });
  });
});
