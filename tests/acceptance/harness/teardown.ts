import type { EmulatorProcess } from "./emulator-process";
import type { UserProject } from "./user-project";

/**
 * Registers the clean-up every scenario needs once its specs ran: destroy what the stack still has
 * (a no-op after a spec's own destroy), remove the project and its stack, stop the emulator.
 */
export function tearDownAfterAll(scenario: () => { emu?: EmulatorProcess; project?: UserProject }): void {
  afterAll(async () => {
    const { emu, project } = scenario();
    await project?.pulumi("destroy", "--yes");
    await project?.dispose();
    await emu?.stop();
  });
}
