/**
 * What the generated project's package.json names as this package's source: where the running copy
 * was installed from, so `npm install` in the generated project gets the same code. The package is not
 * on the npm registry yet, so a version range alone would not install; npm records the source of every
 * installed package in the installing project's lockfile (`node_modules/.package-lock.json`, then
 * `package-lock.json`: `packages["node_modules/<name>"].resolved`, a git URL with its commit or a
 * `file:` path) and in its package.json (the spec the user gave). Run from a checkout instead of an
 * install, the checkout itself is the source.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface PackageSource {
  /** The dependency spec for package.json: a git URL, a `file:` path (absolute), or a version range. */
  spec: string;
  /** Where the spec was read, said to the user beside it. */
  from: string;
  /** False when nothing said where this copy came from and `spec` is only its version range. */
  known: boolean;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Lockfile {
  packages?: Record<string, { resolved?: string }>;
}

const PACKAGE = "pulumi-cloudflare-wfp";

/** How npm's lockfile spells a package from a registry (`https://<registry>/<name>/-/<name>-<version>.tgz`). */
const REGISTRY_TARBALL = /^https?:\/\/[^/]+\/.+\/-\/[^/]+-\d/;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** A spec naming a file or folder relative to `base` (npm writes `file:../x.tgz`), made absolute. */
function absolute(spec: string, base: string): string {
  const local = /^file:(.*)$/.exec(spec)?.[1] ?? (/^\.{0,2}\//.test(spec) ? spec : undefined);
  return local === undefined ? spec : `file:${path.resolve(base, local)}`;
}

/** The folder of the running copy's package.json: two levels up when built (dist/importer), one from source. */
function ownPackageDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (readJson<Manifest>(path.join(dir, "package.json"))?.name === PACKAGE) return dir;
  }
  return path.resolve(__dirname, "..", "..");
}

/** `packageDir`: the folder holding this package's package.json (default: the running copy's). */
export function packageSource(packageDir: string = ownPackageDir()): PackageSource {
  const own = readJson<Manifest>(path.join(packageDir, "package.json"));
  const range = own ? `^${own.version}` : "*";
  if (!own) return { spec: range, from: "no package.json beside the command", known: false };
  const modules = path.dirname(packageDir);
  if (path.basename(modules) !== "node_modules") {
    return { spec: `file:${packageDir}`, from: "the checkout the command ran from", known: true };
  }
  const project = path.dirname(modules);
  for (const lock of [path.join(modules, ".package-lock.json"), path.join(project, "package-lock.json")]) {
    const resolved = readJson<Lockfile>(lock)?.packages?.[`node_modules/${own.name}`]?.resolved;
    // A registry tarball's URL: the range below says the same, as a person writes it.
    if (resolved && !REGISTRY_TARBALL.test(resolved)) return { spec: absolute(resolved, project), from: lock, known: true };
  }
  const manifest = path.join(project, "package.json");
  const declared = readJson<Manifest>(manifest);
  const spec = declared?.dependencies?.[own.name] ?? declared?.devDependencies?.[own.name];
  if (spec) return { spec: absolute(spec, project), from: manifest, known: true };
  return { spec: range, from: `no record of the install in ${project}`, known: false };
}
