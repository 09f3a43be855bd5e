import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installPackedPackage } from "../../../scripts/lib/install-package";
import { engineRoot, repoRoot, workspaceRoot } from "./paths";

/** Jest global setup for the engine specs: the engine must be built and the package packed once. */
export default function globalSetup(): void {
  if (!fs.existsSync(path.join(engineRoot, "bin", "pulumi"))) {
    execFileSync("bash", [path.join(repoRoot, "scripts", "engine.sh")], { stdio: "inherit" });
  }
  if (!fs.existsSync(path.join(repoRoot, "dist", "sdk", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest)");
  }
  installPackedPackage(workspaceRoot, "engine-tests");
}
