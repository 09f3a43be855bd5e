/**
 * A TenantFleet under the real engine: a fresh preview with the namespace still unknown, up, a
 * no-op preview and up that send no write, one tenant changed (one upload), one removed (one
 * delete), an upload refused mid-up (the others kept in state, the next up sends only it), refresh by
 * namespace list pages, and destroy (by the fleet's tag). Traffic is read from the emulator's log.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

const N = 25;
let emu: Emulator;
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator();
  stack = await TestStack.create({ program: "tenant-fleet", env: { ...emu.env }, config: { tenants: String(N), namespace: "fleet-spec" } });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

const writes = () => emu.requests.writes().map((r) => `${r.method} ${r.path.replace(/^.*\/scripts\//, "")}`);

describe("a fleet of tenants as one resource", () => {
  it("previews fresh with every tenant to create, then goes up with one upload per tenant", async () => {
    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ create: 3 }); // stack, namespace, fleet
    expect(preview.output).toContain(`${N} to create: create tenant-0000`);
    expect(emu.requests.writes()).toHaveLength(0);
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(writes().filter((w) => w.startsWith("PUT"))).toHaveLength(N);
  });

  it("previews and goes up with no change and no write when nothing changed", async () => {
    emu.requests.clear();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3 });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 3 });
    expect(writes()).toEqual([]);
  });

  it("shows a change to one tenant by name and property, and uploads that tenant only", async () => {
    await stack.setConfig({ changed: "tenant-0007" });
    emu.requests.clear();
    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.output).toContain(`1 to update, ${N - 1} unchanged: update tenant-0007 (bindings.TENANT)`);
    // The specs are not printed: `changes` names what changes.
    expect(preview.output).not.toContain("tenant-0007-changed");
    await stack.up();
    expect(writes()).toEqual(["PUT tenant-0007"]);
  });

  it("deletes a removed tenant with one delete", async () => {
    await stack.setConfig({ skip: "1" });
    emu.requests.clear();
    await stack.up();
    expect(writes()).toEqual(["DELETE tenant-0000"]);
  });

  it("keeps the tenants that succeeded when one upload fails, so the next up sends only that one", async () => {
    await stack.setConfig({ changed: "tenant-0007,tenant-0003,tenant-0004,tenant-0005" });
    emu.faults.failNext(400, { method: "PUT", path: "/scripts/tenant-0004$", code: 10021, message: "injected refusal" });
    emu.requests.clear();
    const failed = await stack.up().then(
      () => "succeeded",
      (error: Error) => error.message,
    );
    // The engine prints an initialization failure's reasons: one per cause, here one tenant's.
    expect(failed).toMatch(/1 error occurred:[\s\S]*tenant 'tenant-0004': uploading [\s\S]*injected refusal/);
    expect(writes().sort()).toEqual(["PUT tenant-0003", "PUT tenant-0004", "PUT tenant-0005"]);
    emu.requests.clear();
    const retried = await stack.up();
    expect(retried.summary.result).toBe("succeeded");
    expect(writes()).toEqual(["PUT tenant-0004"]);
    emu.requests.clear();
    expect((await stack.preview()).changeSummary).toEqual({ same: 3 });
  });

  it("refreshes the fleet with one list request for its tenants", async () => {
    emu.requests.clear();
    await stack.refresh();
    const fleetReads = emu.requests.filter({ method: "GET" }).filter((r) => /\/dispatch\/namespaces\/fleet-spec\/scripts/.test(r.path));
    expect(fleetReads).toHaveLength(1);
    expect(writes()).toEqual([]);
  });

  it("destroys every tenant's script, in one delete by the fleet's tag, and the namespace", async () => {
    emu.requests.clear();
    await stack.destroy();
    expect(writes().filter((w) => w.startsWith("DELETE tenant-"))).toEqual([]);
    expect(emu.requests.filter({ method: "DELETE" }).filter((r) => r.query === "tags=pulumi-tenant-fleet%3Ayes")).toHaveLength(1);
    expect(emu.state.namespaces()).toEqual([]);
  });
});
