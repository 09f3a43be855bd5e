/**
 * A git repository of this checkout's working tree, as a user's `npm install git+…` reaches one: the
 * files git would commit (tracked and untracked ones, minus what .gitignore leaves out, so no dist and
 * no node_modules) committed in a fresh repository, so the spec installs exactly the code it runs on.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./paths";

export interface GitSource {
  /** The URL a user gives npm: `git+file://<folder>`. */
  url: string;
  /** The commit npm resolves it to. */
  commit: string;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** Writes the repository at `dir` (replacing what is there). */
export function gitSourceOfCheckout(dir: string): GitSource {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = git(repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  git(dir, "init", "--quiet");
  git(dir, "add", "--all");
  git(
    dir,
    "-c",
    "user.name=acceptance",
    "-c",
    "user.email=acceptance@localhost",
    "commit",
    "--quiet",
    "--message",
    "the checkout's working tree",
  );
  return { url: `git+file://${dir}`, commit: git(dir, "rev-parse", "HEAD") };
}
