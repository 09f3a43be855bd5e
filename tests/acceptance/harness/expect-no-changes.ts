import type { EmulatorProcess } from "./emulator-process";
import { expectSuccess, resourceSummary } from "./expect-cli";
import type { UserProject } from "./user-project";

/** `pulumi preview --diff --expect-no-changes` succeeds with every resource unchanged, and Cloudflare sees no write. */
export async function expectNoChanges(emu: EmulatorProcess, project: UserProject, resources: number): Promise<void> {
  await emu.clearRequests();
  const preview = await project.pulumi("preview", "--diff", "--expect-no-changes");
  expectSuccess(preview);
  expect(resourceSummary(preview.output)).toEqual({ unchanged: resources });
  expect(await emu.writes()).toEqual([]);
}
