/**
 * A Durable Object class through its migrations, run by a user with the `pulumi` CLI: the first `up`
 * runs migration v1 (the class is created), a preview then finds nothing to do, and the next step
 * (v1 → v2, the class renamed) is an update in place that the following `up` sends once, leaving the
 * script at tag v2 with its object, its stored count included, answering through the edge as Tally.
 */
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.startWithEdge();
  project = await UserProject.create({ source: path.join(programsDir, "migrations"), env: emu.env });
});
tearDownAfterAll(() => ({ emu, project }));

const tenant = async () => (await emu.account()).dispatchNamespaces[0].scripts.counter;
const count = async () => {
  const res = await emu.edge("counter.example.com", "/");
  return { status: res.status, body: JSON.parse(res.text) as unknown };
};
/** The stack's resources a preview counts (the stack and this package's resources, not providers). */
const resourceCount = async () =>
  ((await project.deployment()).resources ?? []).filter((r) => !r.type.startsWith("pulumi:providers:")).length;

describe("a Durable Object class migrated from v1 (created) to v2 (renamed)", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      // v1 ran: the class exists, and its object keeps its count across requests.
      expect(await tenant()).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Counter"] });
      expect(await project.outputs()).toMatchObject({ migrationTag: "v1" });
      expect([await count(), await count()]).toEqual([
        { status: 200, body: { class: "Counter", count: 1 } },
        { status: 200, body: { class: "Counter", count: 2 } },
      ]);
      // The migration ran once: a preview of the same program changes nothing.
      await expectNoChanges(emu, project, await resourceCount());

      // The next step: rename Counter to Tally, from tag v1 to v2.
      await project.setConfig("step", "v2");
      await emu.clearRequests();
      const preview = await project.pulumi("preview", "--diff");
      expectSuccess(preview);
      expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
      expect(resourceSummary(preview.output)).not.toHaveProperty("replace");
      expect(preview.output).toContain("migrations");
      expect(await emu.writes()).toEqual([]);

      const up = await project.pulumi("up", "--yes", "--skip-preview"); // its preview is the one just checked
      expectSuccess(up);
      expect(resourceSummary(up.output)).toMatchObject({ updated: 1 });
      expect(await emu.writes()).toEqual([`PUT /accounts/${emu.accountId}/workers/dispatch/namespaces/migrating-tenants/scripts/counter`]);
      expect(await tenant()).toMatchObject({ migration_tag: "v2", durable_object_classes: ["Tally"] });
      expect(await project.outputs()).toMatchObject({ migrationTag: "v2" });
      // The rename hands Counter's objects and storage to Tally: the count goes on from 2.
      expect(await count()).toEqual({ status: 200, body: { class: "Tally", count: 3 } });
    },
  );
});
