/**
 * Every shipped example, run as examples/README.md tells a user to: its own project with the packed
 * package installed, the emulator from the package's bin, a fresh stack, and the `pulumi` CLI.
 */
import * as path from "node:path";
import * as semver from "semver";
import { EmulatorProcess } from "./harness/emulator-process";
import { exampleNames, examplePackage } from "./harness/examples";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { examplesDir, installedModules } from "./harness/paths";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

/** What examples/README.md has the user create first, per example. */
const prerequisites: Record<string, (emu: EmulatorProcess) => Promise<void>> = {
  // The example takes over namespaces that exist already: one adopted, one imported.
  "adopt-existing": async (emu) => {
    for (const name of ["my-existing-namespace", "my-imported-namespace"]) {
      await emu.api("POST", `/accounts/${emu.accountId}/workers/dispatch/namespaces`, { name });
    }
  },
};

const installedVersion = (name: string) => (require(path.join(installedModules, name, "package.json")) as { version: string }).version;

describe.each(exampleNames())("examples/%s", (example) => {
  let emu: EmulatorProcess;
  let project: UserProject;

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    await prerequisites[example]?.(emu);
    project = await UserProject.create({ source: path.join(examplesDir, example), env: emu.env });
  });
  afterAll(async () => {
    await project?.dispose();
    await emu?.stop();
  });

  it("is a standalone project whose package.json the installed packages satisfy", () => {
    const pkg = examplePackage(example);
    expect(pkg.private).toBe(true);
    const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.keys(wanted)).toEqual(expect.arrayContaining(["pulumi-cloudflare-wfp", "@pulumi/pulumi"]));
    for (const [name, range] of Object.entries(wanted)) {
      expect({ name, satisfied: semver.satisfies(installedVersion(name), range) }).toEqual({ name, satisfied: true });
    }
  });

  itGoesThroughTheLifecycle(() => emu, () => project);
});
