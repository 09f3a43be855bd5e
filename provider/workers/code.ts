/**
 * A Worker's code from its inputs: inline `content`, or an `entrypoint` bundled with esbuild.
 *
 * `check` builds it to learn the content hash (so a code change shows at preview), and create/update
 * build it again to upload. Bundles are memoized per provider process by entrypoint and options, and
 * reused while none of their source files changed: a thousand tenants sharing one entrypoint cost
 * one esbuild run, and state never holds the bundle.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { WorkerBundle, bundleEntrypoint, inlineScript } from "./bundle";

export interface CodeInputs {
  content?: string;
  entrypoint?: string;
  compatibilityFlags?: string[];
}

interface CacheEntry {
  bundle: Promise<WorkerBundle>;
  /** Fingerprints (mtime, size) of the sources once the bundle is built. */
  fingerprints?: Map<string, string>;
}

const bundles = new Map<string, CacheEntry>();

function fingerprint(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return "missing";
  }
}

function isFresh(entry: CacheEntry): boolean {
  if (!entry.fingerprints) return true; // still building: share the build in progress
  for (const [file, print] of entry.fingerprints) if (fingerprint(file) !== print) return false;
  return true;
}

/** Whether `nodejs_compat` (or its v2) lets `node:*` imports resolve in the runtime. */
export function hasNodejsCompat(flags: string[] | undefined): boolean {
  return (flags ?? []).some((flag) => flag === "nodejs_compat" || flag === "nodejs_compat_v2");
}

/** Builds (or reuses) the Worker's modules. Relative entrypoints resolve from `baseDir` (the project). */
export function buildCode(inputs: CodeInputs, baseDir: string = process.cwd()): Promise<WorkerBundle> {
  if (inputs.content !== undefined) return Promise.resolve(inlineScript(inputs.content));
  if (inputs.entrypoint === undefined) return Promise.reject(new Error("a worker needs content or entrypoint"));
  const nodejsCompat = hasNodejsCompat(inputs.compatibilityFlags);
  const key = JSON.stringify([path.resolve(baseDir, inputs.entrypoint), nodejsCompat, baseDir]);
  const cached = bundles.get(key);
  if (cached && isFresh(cached)) return cached.bundle;

  const entry: CacheEntry = { bundle: bundleEntrypoint(inputs.entrypoint, { nodejsCompat, baseDir }) };
  bundles.set(key, entry);
  entry.bundle.then(
    (bundle) => {
      entry.fingerprints = new Map((bundle.sources ?? []).map((file) => [file, fingerprint(file)]));
    },
    () => bundles.delete(key), // a failed build is retried next time (the user may have fixed the file)
  );
  return entry.bundle;
}
