/**
 * Where the benchmark runs: the package installed the way a user gets it (`npm pack`, unpacked under
 * node_modules, its dependencies linked from this repository's node_modules), one Pulumi project per
 * tenant count copied from bench/program, one file backend each, and a bundle cache the bench owns.
 * Everything lives under .bench/ (git-ignored) and is recreated on every run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../toolchain/engine-env";
import { installPackedPackage } from "../../toolchain/install-package";

export const benchRoot = path.join(repoRoot, ".bench");
export const workspaceRoot = path.join(benchRoot, "workspace");
export const workspaceModules = path.join(workspaceRoot, "node_modules");
/** CLOUDFLARE_WFP_BUNDLE_CACHE for the provider: emptied per tenant count, so a first `up` bundles cold. */
export const bundleCacheDir = path.join(benchRoot, "bundle-cache");
const programSource = path.join(repoRoot, "bench", "program");

export function installPackage(): void {
  fs.mkdirSync(benchRoot, { recursive: true });
  installPackedPackage(workspaceRoot, "wfp-bench");
}

export interface BenchProject {
  /** The Pulumi project (program copy). */
  dir: string;
  /** The file backend's directory. */
  backendDir: string;
}

export function createProject(tenants: number): BenchProject {
  const dir = path.join(workspaceRoot, "stacks", `n${tenants}`);
  const backendDir = path.join(workspaceRoot, "backends", `n${tenants}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(backendDir, { recursive: true, force: true });
  fs.cpSync(programSource, dir, { recursive: true });
  fs.mkdirSync(backendDir, { recursive: true });
  fs.rmSync(bundleCacheDir, { recursive: true, force: true });
  return { dir, backendDir };
}

/** Changes the module every tenant imports, as a developer's edit would (a new mtime and new bytes). */
export function setSharedVersion(project: BenchProject, version: number): void {
  const file = path.join(project.dir, "src", "shared.ts");
  const text = fs.readFileSync(file, "utf8").replace(/^export const SHARED_VERSION = \d+;$/m, `export const SHARED_VERSION = ${version};`);
  if (!text.includes(`SHARED_VERSION = ${version};`)) throw new Error(`cannot set SHARED_VERSION in ${file}`);
  fs.writeFileSync(file, text);
}

/** The backend's checkpoint of the stack: what every operation reads and rewrites. */
export function stateFile(project: BenchProject): string | undefined {
  const stacks = path.join(project.backendDir, ".pulumi", "stacks");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.json(\.gz)?$/.test(entry.name)) found.push(full);
    }
  };
  walk(stacks);
  return found[0];
}

/** The cache's records by inode: a record (re)written by a build is renamed into place, so it gets a new one. */
export function bundleRecords(): Map<string, number> {
  if (!fs.existsSync(bundleCacheDir)) return new Map();
  const names = fs.readdirSync(bundleCacheDir).filter((name) => name.endsWith(".json"));
  return new Map(names.map((name) => [name, fs.statSync(path.join(bundleCacheDir, name)).ino]));
}

/** How many bundles were built (and cached) between two snapshots of `bundleRecords()`. */
export function bundlesBuilt(before: Map<string, number>, after: Map<string, number>): number {
  let built = 0;
  for (const [name, ino] of after) if (before.get(name) !== ino) built++;
  return built;
}
