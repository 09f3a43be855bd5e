/**
 * The oldest @pulumi/pulumi the package says it supports (the floor of its peer range), in a user's
 * project that depends on that version: npm installs one copy of the SDK (the package's peer is
 * satisfied by the user's, never nested), and the multi-tenant example goes through a user's whole
 * journey with it. The shared install covers the newest version, the repository's devDependency.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { packPackage } from "../../scripts/lib/pack-package";
import { EmulatorProcess } from "./harness/emulator-process";
import { examplePackage } from "./harness/examples";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { acceptanceRoot, examplesDir, repoRoot } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const peerRange = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { peerDependencies: Record<string, string> }).peerDependencies["@pulumi/pulumi"];
const floor = semver.minVersion(peerRange)!.version;
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
  fs.writeFileSync(path.join(floorInstall, "package.json"), JSON.stringify({ name: "wfp-floor-user", private: true, dependencies, devDependencies: example.devDependencies }, null, 2));
  const tarball = packPackage(floorInstall);
  execFileSync("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: floorInstall, stdio: ["ignore", "ignore", "pipe"] });
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
  project = await UserProject.create({ source: path.join(examplesDir, "multi-tenant"), env: emu.env, installDir: floorInstall });
});
tearDownAfterAll(() => ({ emu, project }));

describe(`a user's project on @pulumi/pulumi ${floor}, the floor of the peer range ${peerRange}`, () => {
  it("installs a single copy of the SDK, the user's own", () => {
    expect(floor).not.toBe((JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@pulumi/pulumi"]);
    expect(installedSdkCopies()).toEqual([floor]);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
  );
});
