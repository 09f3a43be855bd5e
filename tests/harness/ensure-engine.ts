/** Builds the Go engine when `.engine/bin` does not hold it yet (scripts/engine.sh caches the build). */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineRoot, repoRoot } from "../../toolchain/engine-env";

export function ensureEngine(): void {
  if (!fs.existsSync(path.join(engineRoot, "bin", "pulumi"))) {
    execFileSync("bash", [path.join(repoRoot, "scripts", "engine.sh")], { stdio: "inherit" });
  }
}

/** The specs run the packed package, so it must have been built first. */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(repoRoot, "dist", "sdk", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest)");
  }
}
