/**
 * The floor of what the package supports, together: the oldest @pulumi/pulumi of its peer range, in a
 * user's project that depends on that version, run on the oldest Node.js its `engines` allow. npm
 * installs one copy of the SDK (the package's peer is satisfied by the user's, never nested), and the
 * multi-tenant example goes through a user's whole journey with it, program and provider on that Node.
 * Every other scenario runs the newest of both (the repository's devDependency, on Node 24); this one
 * example proves the floor, as it exercises every kind of resource and the dynamic provider's
 * serialization and whole lifecycle.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { nodeBinDir } from "../../toolchain/node-runtime";
import { packPackage } from "../../toolchain/pack-package";
import { EmulatorProcess } from "./harness/emulator-process";
import { examplePackage } from "./harness/examples";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { acceptanceRoot, examplesDir, repoRoot } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  peerDependencies: Record<string, string>;
  engines: { node: string };
};
const peerRange = manifest.peerDependencies["@pulumi/pulumi"];
const floor = semver.minVersion(peerRange)!.version;
const nodeFloor = semver.minVersion(manifest.engines.node)!.version;
const floorInstall = path.join(acceptanceRoot, `pulumi-${floor}`);

/**
 * The example's own package.json with @pulumi/pulumi at the floor, installed as examples/README.md
 * says (its dependencies, then the packed package).
 */
function installOnFloor(): void {
  fs.rmSync(floorInstall, { recursive: true, force: true });
  fs.mkdirSync(floorInstall, { recursive: true });
  const example = examplePackage("multi-tenant");
  const dependencies: Record<string, string> = { ...example.dependencies, "@pulumi/pulumi": floor };
  delete dependencies["pulumi-cloudflare-wfp"];
  fs.writeFileSync(
    path.join(floorInstall, "package.json"),
    JSON.stringify({ name: "wfp-floor-user", private: true, dependencies, devDependencies: example.devDependencies }, null, 2),
  );
  const tarball = packPackage(floorInstall);
  execFileSync("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: floorInstall,
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** The version of every copy of @pulumi/pulumi on disk in the install (a nested copy would be a second). */
function installedSdkCopies(): string[] {
  const copies: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (full.endsWith(`${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi`)) {
        copies.push((JSON.parse(fs.readFileSync(path.join(full, "package.json"), "utf8")) as { version: string }).version);
      }
      walk(full);
    }
  };
  walk(path.join(floorInstall, "node_modules"));
  return copies;
}

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  installOnFloor();
  emu = await EmulatorProcess.start();
  const source = path.join(examplesDir, "multi-tenant");
  // One more stack output tells which Node the program ran on.
  const program = `${fs.readFileSync(path.join(source, "index.ts"), "utf8")}\nexport const nodeVersion = process.version;\n`;
  project = await UserProject.create({
    source,
    files: { "index.ts": program },
    env: emu.env,
    installDir: floorInstall,
    nodeBinDir: nodeBinDir(22),
    // The package's declarations against the oldest @pulumi/pulumi it supports, checked as a user's preview checks them.
    typeCheck: true,
  });
});
tearDownAfterAll(() => ({ emu, project }));

describe(`a user's project on @pulumi/pulumi ${floor}, the floor of the peer range ${peerRange}, on Node.js ${nodeFloor}`, () => {
  it("installs a single copy of the SDK, the user's own", () => {
    expect(floor).not.toBe(
      (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
        .devDependencies["@pulumi/pulumi"],
    );
    expect(installedSdkCopies()).toEqual([floor]);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => expect((await project.outputs()).nodeVersion).toBe(`v${nodeFloor}`),
  );
});
