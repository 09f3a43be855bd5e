/** `npm pack` of this repository: the tarball a user would install (only the published files). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./engine-env";

/** Packs a built checkout (default: this repository) into `destination`; returns the tarball's path. */
export function packPackage(destination: string, packageDir: string = repoRoot): string {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", destination], { cwd: packageDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as { filename: string }[];
  return path.join(destination, packed.filename);
}
