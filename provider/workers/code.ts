/**
 * A Worker's code from its inputs: inline `content`, or an `entrypoint` bundled with esbuild.
 *
 * `check` builds it to learn the content hash (so a code change shows at preview), and create/update
 * build it again to upload. Two cache levels keep that cheap for a thousand tenants sharing one
 * entrypoint, and state never holds the bundle:
 *
 * - in memory, per provider context (one per process: ../caches.ts): one build (or disk load) per
 *   entrypoint and options, shared by every resource, reused while none of its source files changed.
 *   Bounded (LRU by count and bytes), because a program may have many distinct entrypoints; an evicted bundle comes back from disk.
 * - on disk, across processes: every `pulumi preview/up/refresh` starts a new provider process, so
 *   without it each run would bundle again. A record per entrypoint + options + bundler version holds
 *   the modules and the fingerprints of the sources they were built from; it is used only while every
 *   source still matches (same mtime and size, or else the same sha256), so an edit rebuilds and a
 *   `git checkout` that only touched mtimes does not. Records unused for 30 days are pruned.
 *   Location: CLOUDFLARE_WFP_BUNDLE_CACHE (a directory, or "off"), default
 *   $XDG_CACHE_HOME/pulumi-cloudflare-wfp/bundles (~/.cache/...). Every disk error falls back to a build.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type WorkerBundle, type WorkerModule, bundleEntrypoint, inlineScript } from "./bundle";
import { unbundledModules } from "./unbundled";

export interface CodeInputs {
  content?: string;
  entrypoint?: string;
  compatibilityFlags?: string[];
  /** false: the entrypoint's directory is uploaded as it is, one module per file (./unbundled.ts). */
  bundle?: boolean;
}

/** Whether `nodejs_compat` (or its v2) lets `node:*` imports resolve in the runtime. */
export function hasNodejsCompat(flags: string[] | undefined): boolean {
  return (flags ?? []).some((flag) => flag === "nodejs_compat" || flag === "nodejs_compat_v2");
}

// --- source fingerprints ---------------------------------------------------------------------------

interface SourcePrint {
  file: string;
  mtimeMs: number;
  size: number;
  /** Content hash, so a file whose mtime moved but whose bytes did not still counts as unchanged. */
  sha256: string;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function printOf(file: string): SourcePrint | undefined {
  try {
    const stat = fs.statSync(file);
    return { file, mtimeMs: stat.mtimeMs, size: stat.size, sha256: sha256(fs.readFileSync(file)) };
  } catch {
    return undefined;
  }
}

/** Cheap check first (stat), the content hash only when the stat differs. */
function unchanged(print: SourcePrint): boolean {
  try {
    const stat = fs.statSync(print.file);
    if (stat.mtimeMs === print.mtimeMs && stat.size === print.size) return true;
    return stat.size === print.size && sha256(fs.readFileSync(print.file)) === print.sha256;
  } catch {
    return false;
  }
}

/**
 * Fingerprints taken after the build. A source edited while esbuild ran could be recorded with its new
 * bytes next to a bundle of the old ones; the next edit (or deleting the cache) heals it, and a build
 * takes milliseconds, so the window is accepted rather than hooking every esbuild load.
 */
function fingerprints(bundle: WorkerBundle): SourcePrint[] | undefined {
  const prints: SourcePrint[] = [];
  for (const file of bundle.sources ?? []) {
    const print = printOf(file);
    if (!print) return undefined; // a source vanished already: do not cache what cannot be checked
    prints.push(print);
  }
  return prints;
}

// --- on-disk cache -------------------------------------------------------------------------------

/** Bumped when the record layout changes, so old records are simply not found. */
const RECORD_FORMAT = 1;
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const MAX_RECORDS = 512;

interface DiskRecord {
  format: number;
  mainModule: string;
  contentHash: string;
  sources: SourcePrint[];
  modules: Array<{ name: string; contentType: string; base64: string }>;
}

function cacheDir(): string | undefined {
  const configured = process.env.CLOUDFLARE_WFP_BUNDLE_CACHE?.trim();
  if (configured && /^(off|false|0|no)$/i.test(configured)) return undefined;
  if (configured) return path.resolve(configured);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-cloudflare-wfp", "bundles");
}

/** The bundler's own code and esbuild's version: a new package version must not reuse old bundles. */
function bundlerFingerprint(): string {
  let esbuildVersion = "unknown";
  let bundlerCode = "unknown";
  try {
    esbuildVersion = (require("esbuild/package.json") as { version: string }).version;
    bundlerCode = sha256(fs.readFileSync(require.resolve("./bundle")));
  } catch {
    // Unknown versions still key consistently within this installation.
  }
  return `${esbuildVersion}:${bundlerCode}`;
}

function recordPath(dir: string, bundler: string, key: string): string {
  return path.join(dir, `${sha256(`${RECORD_FORMAT}\n${bundler}\n${key}`).slice(0, 32)}.json`);
}

function readRecord(file: string): WorkerBundle | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as DiskRecord;
    if (record.format !== RECORD_FORMAT || !record.sources.every(unchanged)) return undefined;
    const modules: WorkerModule[] = record.modules.map((m) => ({
      name: m.name,
      contentType: m.contentType,
      content: Buffer.from(m.base64, "base64"),
    }));
    const now = new Date();
    fs.utimesSync(file, now, now); // mtime = last use, for pruning
    return { mainModule: record.mainModule, modules, contentHash: record.contentHash, sources: record.sources.map((s) => s.file) };
  } catch {
    return undefined; // absent, unreadable or torn: build instead
  }
}

/** Drops records unused for MAX_AGE_MS, then the least recently used beyond MAX_RECORDS. */
function prune(dir: string): void {
  const records = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ file: path.join(dir, name), mtimeMs: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  const cutoff = Date.now() - MAX_AGE_MS;
  records.forEach((r, i) => {
    if (i >= MAX_RECORDS || r.mtimeMs < cutoff) fs.rmSync(r.file, { force: true });
  });
}

function writeRecord(dir: string, file: string, bundle: WorkerBundle): void {
  const sources = fingerprints(bundle);
  if (!sources) return;
  const record: DiskRecord = {
    format: RECORD_FORMAT,
    mainModule: bundle.mainModule,
    contentHash: bundle.contentHash,
    sources,
    modules: bundle.modules.map((m) => ({ name: m.name, contentType: m.contentType, base64: Buffer.from(m.content).toString("base64") })),
  };
  try {
    fs.mkdirSync(dir, { recursive: true });
    // Write then rename: concurrent processes (parallel stacks, jest workers) never read half a record.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(record));
    fs.renameSync(temp, file);
    prune(dir);
  } catch {
    // A read-only or full disk only costs the next process a build.
  }
}

async function loadOrBuild(
  entrypoint: string,
  nodejsCompat: boolean,
  baseDir: string,
  bundler: string,
  key: string,
): Promise<WorkerBundle> {
  const dir = cacheDir();
  const file = dir === undefined ? undefined : recordPath(dir, bundler, key);
  const cached = file === undefined ? undefined : readRecord(file);
  if (cached) return cached;
  const bundle = await bundleEntrypoint(entrypoint, { nodejsCompat, baseDir });
  if (dir !== undefined && file !== undefined) writeRecord(dir, file, bundle);
  return bundle;
}

// --- in-memory memo ------------------------------------------------------------------------------

const MAX_MEMO_ENTRIES = 64;
const MAX_MEMO_BYTES = 128 * 1024 * 1024;

interface MemoEntry {
  bundle: Promise<WorkerBundle>;
  /** Set once built: what freshness is checked against, and what the entry weighs. */
  sources?: SourcePrint[];
  bytes: number;
}

function isFresh(entry: MemoEntry): boolean {
  return entry.sources === undefined || entry.sources.every(unchanged); // still building: share it
}

/**
 * The in-memory level, one per provider context (../caches.ts). Insertion order = recency (a hit
 * re-inserts), so the first key is the least recently used.
 */
export class CodeMemo {
  private readonly entries = new Map<string, MemoEntry>();
  /** bundlerFingerprint(), a fact of the installation: read on the first build. */
  private bundler: string | undefined;

  get size(): number {
    return this.entries.size;
  }

  /** The fresh entry of `key`, made the most recently used; undefined when absent or stale. */
  hit(key: string): MemoEntry | undefined {
    const cached = this.entries.get(key);
    if (!cached || !isFresh(cached)) return undefined;
    this.entries.delete(key);
    this.entries.set(key, cached);
    return cached;
  }

  add(key: string, build: (bundler: string) => Promise<WorkerBundle>): MemoEntry {
    this.bundler ??= bundlerFingerprint();
    const entry: MemoEntry = { bundle: build(this.bundler), bytes: 0 };
    this.entries.set(key, entry);
    entry.bundle.then(
      (bundle) => {
        // Stat-only prints for the memo (mtime and size); the disk record already checked contents.
        entry.sources = (bundle.sources ?? []).map((file) => statPrint(file));
        entry.bytes = bundle.modules.reduce((sum, m) => sum + m.content.byteLength, 0);
        this.evict();
      },
      () => this.entries.delete(key), // a failed build is retried next time (the user may have fixed the file)
    );
    return entry;
  }

  private evict(): void {
    let bytes = 0;
    for (const entry of this.entries.values()) bytes += entry.bytes;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_MEMO_ENTRIES && bytes <= MAX_MEMO_BYTES) break;
      if (entry.sources === undefined) continue; // in flight: its callers hold it anyway
      this.entries.delete(key);
      bytes -= entry.bytes;
    }
  }
}

/** Builds (or reuses, from `memo` or disk) the Worker's modules. Relative entrypoints resolve from `baseDir` (the project). */
export function buildCode(memo: CodeMemo, inputs: CodeInputs, baseDir: string = process.cwd()): Promise<WorkerBundle> {
  if (inputs.content !== undefined) return Promise.resolve(inlineScript(inputs.content));
  if (inputs.entrypoint === undefined) return Promise.reject(new Error("a worker needs content or entrypoint"));
  if (inputs.bundle === false) {
    const entrypoint = inputs.entrypoint;
    return Promise.resolve().then(() => unbundledModules(entrypoint, baseDir)); // a few reads: not cached
  }
  const entrypoint = inputs.entrypoint;
  const nodejsCompat = hasNodejsCompat(inputs.compatibilityFlags);
  const key = JSON.stringify([path.resolve(baseDir, entrypoint), nodejsCompat, baseDir]);
  const entry = memo.hit(key) ?? memo.add(key, (bundler) => loadOrBuild(entrypoint, nodejsCompat, baseDir, bundler, key));
  return entry.bundle;
}

/** A fingerprint without the content hash: in one process, an mtime or size change means rebuild. */
function statPrint(file: string): SourcePrint {
  try {
    const stat = fs.statSync(file);
    return { file, mtimeMs: stat.mtimeMs, size: stat.size, sha256: "" };
  } catch {
    return { file, mtimeMs: -1, size: -1, sha256: "" };
  }
}
