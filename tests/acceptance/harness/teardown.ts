import type { EmulatorProcess } from "./emulator-process";
import type { UserProject } from "./user-project";

/**
 * Registers the clean-up every scenario needs once its specs ran: remove the project and its stack,
 * stop the emulator. Nothing is destroyed first: what the stack still holds lives in that emulator,
 * which stops with it, so a `destroy` here would only cost a CLI run and provider start per scenario.
 */
export function tearDownAfterAll(scenario: () => { emu?: EmulatorProcess; project?: UserProject }): void {
  afterAll(async () => {
    const { emu, project } = scenario();
    await project?.dispose();
    await emu?.stop();
  });
}
