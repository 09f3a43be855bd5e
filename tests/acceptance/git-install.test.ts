/**
 * The package installed as a user gets it before it is published: `npm install git+file://…` of a
 * repository holding this checkout, which npm builds with the package's `prepare` script (installing
 * the build's devDependencies in its own clone). On that install the multi-tenant example goes
 * through a user's journey against the emulator, and the installed import command writes a
 * package.json naming the same git source, pinned to the commit that was installed.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { EmulatorProcess } from "./harness/emulator-process";
import { examplePackage } from "./harness/examples";
import { gitSourceOfCheckout, type GitSource } from "./harness/git-source";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { acceptanceRoot, examplesDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

// npm clones the repository and installs the build's devDependencies there before building: minutes on a busy machine.
jest.setTimeout(1_200_000);

const PACKAGE = "pulumi-cloudflare-wfp";
const gitInstall = path.join(acceptanceRoot, "git-install");
const installed = path.join(gitInstall, "node_modules", PACKAGE);
let source: GitSource;
let emu: EmulatorProcess;
let project: UserProject;

/** The example's own dependencies (this package's excepted), then the package from its git URL. */
function installFromGit(): void {
  source = gitSourceOfCheckout(path.join(acceptanceRoot, "git-source"));
  fs.rmSync(gitInstall, { recursive: true, force: true });
  fs.mkdirSync(gitInstall, { recursive: true });
  const example = examplePackage("multi-tenant");
  const dependencies: Record<string, string> = { ...example.dependencies };
  delete dependencies[PACKAGE];
  fs.writeFileSync(
    path.join(gitInstall, "package.json"),
    JSON.stringify({ name: "wfp-git-user", private: true, dependencies, devDependencies: example.devDependencies }, null, 2),
  );
  execFileSync("npm", ["install", source.url, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: gitInstall,
    stdio: ["ignore", "ignore", "pipe"],
  });
}

beforeAll(async () => {
  installFromGit();
  emu = await EmulatorProcess.start();
  // Type-checked as a user's preview checks it: the declarations a git install built must serve a program.
  project = await UserProject.create({
    source: path.join(examplesDir, "multi-tenant"),
    env: emu.env,
    installDir: gitInstall,
    typeCheck: true,
  });
});
tearDownAfterAll(() => ({ emu, project }));

describe("a user's project that installed the package from a git URL", () => {
  it("holds the built package: what `files` publishes, compiled, and the git source in package.json", () => {
    expect(fs.readdirSync(path.join(installed, "dist")).sort()).toEqual(["emulator", "importer", "provider", "sdk"]);
    expect(fs.existsSync(path.join(installed, "dist", "sdk", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "provider"))).toBe(false); // sources stay in the repository
    const manifest = JSON.parse(fs.readFileSync(path.join(gitInstall, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies[PACKAGE]).toBe(source.url);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
  );

  it("runs the installed import command, whose package.json names the same git source at the installed commit", async () => {
    await emu.api("POST", `/accounts/${emu.accountId}/workers/dispatch/namespaces`, { name: "imported-workers" });
    const out = path.join(gitInstall, "imported");
    const { stdout } = await promisify(execFile)(
      "npx",
      ["--no-install", PACKAGE, "import", "--namespace", "imported-workers", "--out", out],
      {
        cwd: gitInstall,
        env: { ...process.env, ...emu.env },
      },
    );
    const written = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(written.dependencies[PACKAGE]).toBe(`${source.url}#${source.commit}`);
    expect(stdout).toContain(`package.json installs ${PACKAGE} from ${source.url}#${source.commit}, as this copy was`);
  });
});
