/**
 * The package as it was at an earlier commit (built and packed from git history), installed into a
 * workspace of its own: what stacks in the field were made with.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installPackedPackage } from "../../../toolchain/install-package";
import { repoRoot, workspaceRoot } from "./paths";

/** The installed package of a workspace. */
export const installed = (workspace: string) => path.join(workspace, "node_modules", "pulumi-cloudflare-wfp");

/** Builds the package as it was at `commit` and installs it, packed, into `workspace`. */
export function installEarlier(commit: string, workspace: string): void {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "wfp-earlier-"));
  try {
    execFileSync("bash", ["-c", `git -C "${repoRoot}" archive ${commit} | tar -x -C "${src}"`], { stdio: "inherit" });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(src, "node_modules"));
    execFileSync(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: src, stdio: "inherit" });
    installPackedPackage(workspace, "upgrade-tests", src);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
}

/** Replaces a workspace's installed package with the current one (what upgrading the dependency does). */
export function upgradeInstalled(workspace: string): void {
  fs.rmSync(installed(workspace), { recursive: true, force: true });
  fs.cpSync(installed(workspaceRoot), installed(workspace), { recursive: true });
}
