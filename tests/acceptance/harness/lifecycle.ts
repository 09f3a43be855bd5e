/**
 * The journey every program must survive as a user runs it on a fresh stack: `pulumi preview`, then
 * `pulumi up` (with its preview), then a preview that finds nothing to do, then `pulumi destroy`,
 * with the emulator's store checked against the stack's state after each step.
 */
import type { EmulatorProcess } from "./emulator-process";
import { expectSuccess, resourceSummary } from "./expect-cli";
import { expectNoChanges } from "./expect-no-changes";
import { cloudflareObjects, stateObjects } from "./objects";
import type { UserProject } from "./user-project";

/**
 * Registers the four steps as specs of the current describe block; `project()` is made in its
 * beforeAll. `deployed` checks what is particular to the program once it is up.
 */
export function itGoesThroughTheLifecycle(
  emulator: () => EmulatorProcess,
  project: () => UserProject,
  deployed?: () => Promise<void>,
): void {
  let created = 0;

  it("previews on a fresh stack without writing anything", async () => {
    await emulator().clearRequests();
    const preview = await project().pulumi("preview");
    expectSuccess(preview);
    created = resourceSummary(preview.output).create;
    expect(created).toBeGreaterThan(1); // the stack and at least one resource
    expect(await emulator().writes()).toEqual([]);
  });

  it("goes up with its preview, and Cloudflare then holds exactly what the state records", async () => {
    const up = await project().pulumi("up", "--yes");
    expectSuccess(up);
    expect(resourceSummary(up.output)).toEqual({ created });
    // Decrypted: a TenantFleet's tenants are one secret map.
    const inState = stateObjects(await project().deployment({ showSecrets: true }));
    expect(inState.length).toBeGreaterThan(0);
    expect(cloudflareObjects(...(await emulator().accounts()))).toEqual(inState);
    await deployed?.();
  });

  it("previews no change afterwards, with no write", async () => {
    await expectNoChanges(emulator(), project(), created);
  });

  it("is destroyed, leaving nothing behind in Cloudflare", async () => {
    const destroy = await project().pulumi("destroy", "--yes");
    expectSuccess(destroy);
    expect(resourceSummary(destroy.output)).toEqual({ deleted: created });
    expect(stateObjects(await project().deployment({ showSecrets: true }))).toEqual([]);
    expect(cloudflareObjects(...(await emulator().accounts()))).toEqual([]);
  });
}
