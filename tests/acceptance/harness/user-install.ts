/**
 * Installs the packed package the way examples/README.md tells a user to: `npm pack` of the
 * repository, then `npm install <tarball>` with the other dependencies the examples declare. One
 * install serves every scenario; it is redone only when the tarball's bytes change.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { packPackage } from "../../../toolchain/pack-package";
import { exampleNames, examplePackage } from "./examples";
import { acceptanceRoot, installDir } from "./paths";

const PACKAGE = "pulumi-cloudflare-wfp";
const stamp = path.join(installDir, ".installed-tarball");

/** Every dependency the examples declare (name → range), this package's own one excepted. */
export function exampleDependencies(): Record<string, string> {
  const all: Record<string, string> = {};
  for (const name of exampleNames()) {
    const pkg = examplePackage(name);
    Object.assign(all, pkg.dependencies, pkg.devDependencies);
  }
  delete all[PACKAGE];
  return all;
}

export function installUserProject(): void {
  fs.mkdirSync(acceptanceRoot, { recursive: true });
  const tarball = packPackage(acceptanceRoot);
  const digest = createHash("sha256").update(fs.readFileSync(tarball)).digest("hex");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return;

  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  fs.writeFileSync(path.join(installDir, "package.json"), JSON.stringify({ name: "wfp-acceptance-user", private: true }, null, 2));
  const specs = [tarball, ...Object.entries(exampleDependencies()).map(([name, range]) => `${name}@${range}`)];
  execFileSync("npm", ["install", ...specs, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: installDir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  fs.writeFileSync(stamp, digest);
}
