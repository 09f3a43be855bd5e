/**
 * A dispatcher's custom domain moved to another hostname, run by a user with the `pulumi` CLI: the
 * preview shows an update of the dispatcher (not a replacement), the `up` detaches the old hostname
 * and attaches the new one, the edge then answers on the new hostname only, and `destroy` leaves no
 * domain behind.
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
  project = await UserProject.create({ source: path.join(programsDir, "custom-domain"), env: emu.env });
});
tearDownAfterAll(() => ({ emu, project }));

const domains = async () => ((await emu.account()).workerDomains ?? []).map((d) => ({ hostname: d.hostname, service: d.service }));
const answer = async (host: string) => {
  const res = await emu.edge(host, "/");
  return { status: res.status, text: res.text };
};

describe("a custom domain moved to another hostname", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      expect(await domains()).toEqual([{ hostname: "app.example.com", service: "moving-front" }]);
      expect(await answer("app.example.com")).toEqual({ status: 200, text: "front on app.example.com" });
      const ids = async () => (await project.outputs()).customDomainIds as Record<string, string>;
      const appId = (await ids())["app.example.com"];
      expect(appId).toMatch(/^[0-9a-f]{32}$/);

      await project.setConfig("hostname", "www.example.com");
      await emu.clearRequests();
      const preview = await project.pulumi("preview", "--diff");
      expectSuccess(preview);
      expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
      expect(resourceSummary(preview.output)).not.toHaveProperty("replace");
      expect(preview.output).toContain("www.example.com");
      expect(await emu.writes()).toEqual([]);

      const up = await project.pulumi("up", "--yes", "--skip-preview"); // its preview is the one just checked
      expectSuccess(up);
      expect(resourceSummary(up.output)).toMatchObject({ updated: 1 });
      expect(await domains()).toEqual([{ hostname: "www.example.com", service: "moving-front" }]);
      expect(Object.keys(await ids())).toEqual(["www.example.com"]);
      expect((await ids())["www.example.com"]).not.toBe(appId);
      expect(await answer("www.example.com")).toEqual({ status: 200, text: "front on www.example.com" });
      expect((await answer("app.example.com")).status).toBe(404);
    },
  );
});
