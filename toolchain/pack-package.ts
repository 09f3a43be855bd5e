/** `npm pack` of this repository: the tarball a user would install (only the published files). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./engine-env";

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** Without lifecycle scripts: `npm pack` would run `prepare` (the build) again, and callers build first. */
function npmPack(packageDir: string, extraArgs: string[]): PackResult {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", ...extraArgs], {
      cwd: packageDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as PackResult[];
  return packed;
}

/** Packs a built checkout (default: this repository) into `destination`; returns the tarball's path. */
export function packPackage(destination: string, packageDir: string = repoRoot): string {
  return path.join(destination, npmPack(packageDir, ["--pack-destination", destination]).filename);
}

/** The paths the tarball of a built checkout would hold (`npm pack --dry-run`), without writing it. */
export function packedFiles(packageDir: string = repoRoot): string[] {
  return npmPack(packageDir, ["--dry-run"]).files.map((file) => file.path);
}
