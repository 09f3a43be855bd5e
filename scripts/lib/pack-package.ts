/** `npm pack` of this repository: the tarball a user would install (only the published files). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./engine-env";

/** Packs into `destination` and returns the tarball's path. */
export function packPackage(destination: string): string {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as { filename: string }[];
  return path.join(destination, packed.filename);
}
