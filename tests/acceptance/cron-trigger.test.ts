/**
 * A dispatcher's cron trigger run by a user with the `pulumi` CLI: declared, it is on Cloudflare after
 * `up` and fired at the edge (`/__scheduled`, as wrangler's local dev does) it runs the Worker's scheduled
 * handler; emptied, the next `up` removes it, and `destroy` leaves nothing behind.
 */
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.startWithEdge();
  project = await UserProject.create({ source: path.join(programsDir, "cron-trigger"), env: emu.env });
});
tearDownAfterAll(() => ({ emu, project }));

const schedules = async () => ((await emu.account()).schedules?.["nightly-jobs"] ?? []).map((s) => s.cron);
const answer = async (urlPath: string) => (await emu.edge("jobs.example.com", urlPath)).text;

describe("a dispatcher's cron trigger", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      expect(await schedules()).toEqual(["0 3 * * *"]);
      expect(await answer("/")).toBe("never ran");
      expect(await answer("/__scheduled?cron=0+3+*+*+*")).toBe("Ran scheduled event");
      expect(await answer("/")).toBe("0 3 * * *");

      await project.setConfig("crons", "[]");
      const up = await project.pulumi("up", "--yes");
      expectSuccess(up);
      expect(resourceSummary(up.output)).toMatchObject({ updated: 1 });
      expect(await schedules()).toEqual([]);
      // Without a cron trigger the path is the Worker's own again.
      expect(await answer("/__scheduled")).toBe("0 3 * * *");

      await project.setConfig("crons", JSON.stringify(["0 3 * * *"]));
      expectSuccess(await project.pulumi("up", "--yes"));
    },
  );
});
