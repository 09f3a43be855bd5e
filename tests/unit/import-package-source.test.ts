/**
 * The import command's generated package.json names this package as the running copy was installed:
 * the source npm recorded in the installing project (a git URL pinned to its commit, a tarball made
 * absolute), the checkout itself when run from one, and a plain range only when nothing says more.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageSource } from "../../importer/package-source";

const NAME = "pulumi-cloudflare-wfp";
let root: string;
beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "package-source-"))));
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(file: string, json: unknown): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), JSON.stringify(json));
}

/** A user's project at `root/app` with this package installed under node_modules; returns the package's folder. */
function installed(options: { lock?: string; hiddenLock?: string; declared?: string }): string {
  write(`app/node_modules/${NAME}/package.json`, { name: NAME, version: "0.1.0" });
  const lock = (resolved: string) => ({ packages: { "": {}, [`node_modules/${NAME}`]: { version: "0.1.0", resolved } } });
  if (options.hiddenLock) write("app/node_modules/.package-lock.json", lock(options.hiddenLock));
  if (options.lock) write("app/package-lock.json", lock(options.lock));
  write("app/package.json", { name: "app", dependencies: options.declared ? { [NAME]: options.declared } : {} });
  return path.join(root, "app", "node_modules", NAME);
}

it("names the git URL and commit npm resolved, from the hidden lockfile first", () => {
  const dir = installed({
    hiddenLock: "git+ssh://git@example.com/org/wfp.git#0123456789abcdef0123456789abcdef01234567",
    lock: "git+ssh://git@example.com/org/wfp.git#fedcba",
    declared: "git+ssh://git@example.com/org/wfp.git",
  });
  expect(packageSource(dir)).toEqual({
    spec: "git+ssh://git@example.com/org/wfp.git#0123456789abcdef0123456789abcdef01234567",
    from: path.join(root, "app", "node_modules", ".package-lock.json"),
    known: true,
  });
});

it("makes a tarball path, relative to the installing project in npm's records, absolute", () => {
  expect(packageSource(installed({ lock: "file:../pulumi-cloudflare-wfp-0.1.0.tgz" })).spec).toBe(
    `file:${path.join(root, "pulumi-cloudflare-wfp-0.1.0.tgz")}`,
  );
  fs.rmSync(path.join(root, "app"), { recursive: true });
  expect(packageSource(installed({ declared: "file:vendor/pulumi-cloudflare-wfp-0.1.0.tgz" })).spec).toBe(
    `file:${path.join(root, "app", "vendor", "pulumi-cloudflare-wfp-0.1.0.tgz")}`,
  );
});

it("keeps the project's own range for a copy from a registry rather than its tarball URL", () => {
  const dir = installed({ lock: `https://registry.example.com/${NAME}/-/${NAME}-0.1.0.tgz`, declared: "~0.1.0" });
  expect(packageSource(dir)).toEqual({ spec: "~0.1.0", from: path.join(root, "app", "package.json"), known: true });
});

it("names the checkout when the command runs from one rather than from an install", () => {
  write("checkout/package.json", { name: NAME, version: "0.1.0" });
  expect(packageSource(path.join(root, "checkout"))).toEqual({
    spec: `file:${path.join(root, "checkout")}`,
    from: "the checkout the command ran from",
    known: true,
  });
});

it("falls back to its version range, saying so, when the install left no record", () => {
  const dir = installed({});
  expect(packageSource(dir)).toEqual({ spec: "^0.1.0", from: `no record of the install in ${path.join(root, "app")}`, known: false });
});
