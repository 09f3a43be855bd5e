/**
 * The Node.js versions the tests run on, installed and cached by scripts/node.sh: 24, the primary runtime,
 * and 22, the oldest the package supports. Anything that must run a tool on one of them puts its bin
 * directory first on PATH (`nodeBinDir(24)`), or runs `bash scripts/node.sh exec 24 <command>`.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./repo-root";

export type NodeMajor = 24 | 22;

const binDirs = new Map<NodeMajor, string>();

/** The bin directory holding that version's `node`, installed on first use. */
export function nodeBinDir(major: NodeMajor): string {
  let dir = binDirs.get(major);
  if (dir === undefined) {
    dir = execFileSync("bash", [path.join(repoRoot, "scripts", "node.sh"), String(major)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    binDirs.set(major, dir);
  }
  return dir;
}

/** That version's `node` executable. */
export function nodeExecutable(major: NodeMajor): string {
  return path.join(nodeBinDir(major), "node");
}

/** PATH with that version's `node` first, for a child process that runs `node` from PATH (the language host does). */
export function pathWithNode(major: NodeMajor, pathVar: string = process.env.PATH ?? ""): string {
  return [nodeBinDir(major), pathVar].join(path.delimiter);
}
