/**
 * Installs this package into a workspace the way a user gets it: `npm pack` (only the published
 * files, built to JavaScript), unpacked under node_modules/pulumi-cloudflare-wfp, its dependencies
 * linked from this repository's node_modules rather than downloaded again, so the closure serializer
 * and the provider process see a package that lives in node_modules. Used by the engine specs and the bench.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./engine-env";
import { packPackage } from "./pack-package";

/** `packageDir`: a built checkout of this package (default: this repository; another, for an earlier version). */
export function installPackedPackage(workspaceRoot: string, workspaceName: string, packageDir: string = repoRoot): void {
  const modules = path.join(workspaceRoot, "node_modules");
  fs.rmSync(workspaceRoot, { recursive: true, force: true });
  fs.mkdirSync(modules, { recursive: true });
  const packDir = fs.mkdtempSync(path.join(path.dirname(workspaceRoot), "pack-"));
  try {
    const target = path.join(modules, "pulumi-cloudflare-wfp");
    fs.mkdirSync(target);
    execFileSync("tar", ["-xzf", packPackage(packDir, packageDir), "-C", target, "--strip-components=1"]);
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (!entry.startsWith(".")) fs.symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(modules, entry));
  }
  fs.writeFileSync(
    path.join(workspaceRoot, "package.json"),
    JSON.stringify({ name: workspaceName, private: true, dependencies: { "pulumi-cloudflare-wfp": "*" } }, null, 2),
  );
}
