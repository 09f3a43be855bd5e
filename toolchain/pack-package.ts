/** `npm pack` of this repository: the tarball a user would install (only the published files). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./engine-env";

/**
 * Packs a built checkout (default: this repository) into `destination`; returns the tarball's path.
 * Without lifecycle scripts: `npm pack` would run `prepare` (the build) again, and callers build first.
 */
export function packPackage(destination: string, packageDir: string = repoRoot): string {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
      cwd: packageDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { filename: string }[];
  return path.join(destination, packed.filename);
}
