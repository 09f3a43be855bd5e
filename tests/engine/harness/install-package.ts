/**
 * Installs this package into the test workspace the way a user gets it: `npm pack` (so only the
 * published files, built to JavaScript), unpacked under node_modules/pulumi-cloudflare-wfp. Its
 * dependencies are the repo's own installed ones, linked rather than downloaded again, so the
 * closure serializer and the provider process see a package that lives in node_modules.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, workspaceRoot } from "./paths";

export function installPackedPackage(): void {
  const modules = path.join(workspaceRoot, "node_modules");
  fs.rmSync(workspaceRoot, { recursive: true, force: true });
  fs.mkdirSync(modules, { recursive: true });

  const packDir = fs.mkdtempSync(path.join(path.dirname(workspaceRoot), "pack-"));
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as { filename: string }[];
  const target = path.join(modules, "pulumi-cloudflare-wfp");
  fs.mkdirSync(target);
  execFileSync("tar", ["-xzf", path.join(packDir, packed.filename), "-C", target, "--strip-components=1"]);
  fs.rmSync(packDir, { recursive: true, force: true });

  for (const entry of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(modules, entry));
  }
  fs.writeFileSync(
    path.join(workspaceRoot, "package.json"),
    JSON.stringify({ name: "engine-tests", private: true, dependencies: { "pulumi-cloudflare-wfp": "*" } }, null, 2),
  );
}
