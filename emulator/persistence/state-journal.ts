/**
 * Persistence of the emulator's state in a data directory: an append-only journal of the units that
 * changed (units.ts, journal-file.ts), compacted when it has grown to twice what it holds.
 *
 * Why a journal and not an embedded database: `node:sqlite` is the only one without a dependency, and on
 * the oldest Node this package supports (22.11, `engines` in package.json) it exists only behind
 * `--experimental-sqlite` (unflagged in 22.13); the emulator also runs inside users' and tests' own Node
 * processes (`startEmulator`), where no flag can be set. A native module (better-sqlite3) would add a
 * compiled dependency for one feature. The journal needs only `node:fs`, and the state is small enough
 * to live in memory, which it already did: the disk only has to make each write durable and replayable.
 *
 * Cost per write: one scan of the units' stamps (no serialization of unchanged ones), the JSON of what
 * changed and one append. Durability is a group commit: the appends of one turn of the event loop share
 * one fdatasync, and the server answers a request only once its write is synced (`durable()`), so
 * concurrent requests do not each wait for the disk. Compaction rewrites everything (temp file + rename) when the
 * journal is twice its live size, so its cost per write stays constant on average.
 * Crash safety: see journal-file.ts; a kill loses at most the write in flight. Secrets stay sealed
 * (secret-seal.ts) in every record. A `state.json` from before the journal is loaded once, written to
 * the journal, and kept as `state.json.migrated`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretSeal } from "../secret-seal";
import { loadPersistedState, STATE_FILE, type PersistedState } from "../state";
import { JOURNAL_FILE, readJournal, recordLine, replaceJournal, syncDirectory, writeText, type JournalRecord } from "./journal-file";
import { assembleState, sameStamp, unitsOf, type Unit, type UnitStamp } from "./units";

/** Below this size the journal is never compacted (a young state would otherwise be rewritten often). */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

export const MIGRATED_STATE_FILE = `${STATE_FILE}.migrated`;

export interface StateJournalOptions {
  /** Compact once the journal exceeds max(this, twice its live bytes). Default 4 MiB. */
  minCompactBytes?: number;
}

/** Reads the state a data directory holds (journal, else a `state.json` to migrate); nothing is written. */
export function readStoredState(dataDir: string): PersistedState | undefined {
  const seal = SecretSeal.forDataDir(dataDir);
  const file = path.join(dataDir, JOURNAL_FILE);
  if (!fs.existsSync(file)) return loadPersistedState(dataDir);
  return assembleJournal(file, seal).state;
}

function assembleJournal(file: string, seal: SecretSeal) {
  const contents = readJournal(file, (json) => seal.parse(json));
  try {
    return { contents, state: assembleState(contents.units) };
  } catch (err) {
    throw new Error(`Cannot load emulator state from ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export class StateJournal {
  private readonly file: string;
  private fd: number | undefined;
  /** What each unit looked like when last written. */
  private stamps = new Map<string, UnitStamp>();
  private sizes = new Map<string, number>();
  private liveBytes = 0;
  private journalBytes = 0;
  private legacyFile: string | undefined;
  /** Appended but not yet fdatasync'ed; the flush is scheduled, and these wait for it. */
  private unsynced = false;
  private flushScheduled = false;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly dataDir: string,
    private readonly seal: SecretSeal,
    private readonly minCompactBytes: number,
    /** The state found on disk at open; undefined for a new directory. */
    readonly loaded: PersistedState | undefined,
  ) {
    this.file = path.join(dataDir, JOURNAL_FILE);
  }

  /** Opens (or starts) the journal of `dataDir`: replays it, cutting off a torn last write. */
  static open(dataDir: string, options: StateJournalOptions = {}): StateJournal {
    const seal = SecretSeal.forDataDir(dataDir);
    const file = path.join(dataDir, JOURNAL_FILE);
    const minCompact = options.minCompactBytes ?? MIN_COMPACT_BYTES;
    if (!fs.existsSync(file)) {
      const journal = new StateJournal(dataDir, seal, minCompact, loadPersistedState(dataDir));
      if (journal.loaded) journal.legacyFile = path.join(dataDir, STATE_FILE);
      return journal;
    }
    const { contents, state } = assembleJournal(file, seal);
    if (contents.tornBytes > 0) fs.truncateSync(file, contents.committedBytes);
    const journal = new StateJournal(dataDir, seal, minCompact, state);
    journal.sizes = contents.sizes;
    journal.liveBytes = [...contents.sizes.values()].reduce((a, b) => a + b, 0);
    journal.journalBytes = contents.committedBytes;
    if (state) for (const unit of unitsOf(state)) journal.stamps.set(unit.key, unit.stamp);
    return journal;
  }

  /**
   * Makes `state` durable: appends the units that changed since the last call (one committed write),
   * or compacts. The live records may be the very objects `loaded` held.
   */
  record(state: PersistedState): void {
    const lines: string[] = [];
    const sizes = new Map<string, number>();
    const seen = new Set<string>();
    const stamps: Array<[string, UnitStamp]> = [];
    for (const unit of unitsOf(state)) {
      seen.add(unit.key);
      const before = this.stamps.get(unit.key);
      if (before && sameStamp(before, unit.stamp)) continue;
      const text = recordLine(this.recordOf(unit));
      lines.push(text);
      sizes.set(unit.key, Buffer.byteLength(text));
      stamps.push([unit.key, unit.stamp]);
    }
    const gone = [...this.stamps.keys()].filter((k) => !seen.has(k));
    for (const key of gone) lines.push(recordLine({ key, deleted: true }));
    if (lines.length === 0) return;
    this.append(writeText(lines));
    for (const [key, stamp] of stamps) this.stamps.set(key, stamp);
    for (const key of gone) this.forget(key);
    for (const [key, size] of sizes) {
      this.liveBytes += size - (this.sizes.get(key) ?? 0);
      this.sizes.set(key, size);
    }
    if (this.legacyFile) {
      // The journal now holds everything state.json did (synced first); keep the old file aside, out of the way.
      this.flush();
      fs.renameSync(this.legacyFile, path.join(this.dataDir, MIGRATED_STATE_FILE));
      this.legacyFile = undefined;
    }
    if (this.journalBytes > Math.max(this.minCompactBytes, 2 * this.liveBytes)) this.compact(state);
  }

  /** Rewrites the journal as one write holding every unit once. */
  compact(state: PersistedState): void {
    const lines: string[] = [];
    this.stamps.clear();
    this.sizes.clear();
    this.liveBytes = 0;
    for (const unit of unitsOf(state)) {
      const text = recordLine(this.recordOf(unit));
      lines.push(text);
      const size = Buffer.byteLength(text);
      this.stamps.set(unit.key, unit.stamp);
      this.sizes.set(unit.key, size);
      this.liveBytes += size;
    }
    this.flush();
    this.closeFile();
    const text = writeText(lines);
    replaceJournal(this.file, text);
    this.journalBytes = Buffer.byteLength(text);
  }

  /** Resolves once every write recorded so far is on disk (at once when it already is). */
  durable(): Promise<void> {
    if (!this.unsynced) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.flush();
    this.closeFile();
  }

  /** One fdatasync for every append since the last one; then the waiting answers go out. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.unsynced && this.fd !== undefined) fs.fdatasyncSync(this.fd);
    this.unsynced = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private recordOf(unit: Unit): JournalRecord {
    return { key: unit.key, json: this.seal.stringify(unit.value) };
  }

  private forget(key: string): void {
    this.stamps.delete(key);
    this.liveBytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }

  private append(text: string): void {
    const created = this.fd === undefined && !fs.existsSync(this.file);
    this.fd ??= fs.openSync(this.file, "a", 0o600);
    const bytes = Buffer.from(text);
    fs.writeSync(this.fd, bytes);
    // A new file is durable only once its directory entry is.
    if (created) syncDirectory(this.dataDir);
    this.journalBytes += bytes.length;
    this.unsynced = true;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private closeFile(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
