/**
 * Persistence of the emulator's state in a data directory: an append-only journal of the units that
 * changed (units.ts, journal-file.ts), compacted when it has grown to twice what it holds.
 *
 * Why a journal and not an embedded database: `node:sqlite` is the only one without a dependency, and on
 * the oldest Node this package supports (22.11, `engines` in package.json) it exists only behind
 * `--experimental-sqlite` (unflagged in 22.13); the emulator also runs inside users' and tests' own Node
 * processes (`startEmulator`), where no flag can be set. A native module (better-sqlite3) would add a
 * compiled dependency for one feature. The journal needs only `node:fs`, and the state is small enough
 * to live in memory, which it already did: the disk only has to keep each write and replay it.
 *
 * Cost: one walk of the units' stamps per event-loop turn (no serialization of unchanged ones; the turn's
 * changes share it, see `record`), the JSON of what changed and one append. A change that names the scripts
 * it touched (an upload or delete of one Worker) spares the walk every other script, so a turn costs what
 * it wrote, not what the state holds; code shared by many scripts is written once (bodies.ts). Compaction rewrites everything when the journal
 * is twice its live size, so its cost per write stays constant on average; it writes the lines the journal
 * already holds (kept in memory: no JSON or hash again) and syncs off the event loop (compaction.ts).
 *
 * Durability: a change is appended with write(2) before the answer that reports it (`written`);
 * fdatasync runs on a timer (`SYNC_INTERVAL_MS`, 1 s), at compaction and at `close`. What the emulator
 * promises is that a kill of its process (SIGKILL, a crash of Node) loses no answered write: once
 * write(2) returns the bytes are the kernel's, and the file holds them whether or not the process lives on.
 * fdatasync adds only survival of an OS crash or power loss, which an emulator need not promise per write;
 * waiting for it made each answer wait for a disk flush (1.9-3x the in-memory emulator). An OS crash can
 * lose the writes of the last interval: a missing or partial tail, cut off on load like a torn write
 * (journal-file.ts); damage anywhere else stops the load with the journal's name. The same trade as Redis
 * `appendfsync everysec` and SQLite's WAL with `synchronous=NORMAL` (commits survive an application crash;
 * the last ones may roll back on power loss). Compaction still syncs before its rename. Secrets stay sealed
 * (secret-seal.ts) in every record. A `state.json` from before the journal is loaded once, written to
 * the journal, and kept as `state.json.migrated`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretSeal } from "../secret-seal";
import { loadPersistedState, STATE_FILE, type PersistedState, type ScriptRecord } from "../state";
import { Compaction, removeStaleCompactions, writeAll } from "./compaction";
import { StoredBodies } from "./bodies";
import { JOURNAL_FILE, readJournal, recordLine, syncDirectory, writeText, type LiveLine } from "./journal-file";
import { assembleState, isScriptKey, unitsOf } from "./units";
import { WrittenUnits, type TouchedScripts } from "./written-units";

/** Below this size the journal is never compacted (a young state would otherwise be rewritten often). */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

export const MIGRATED_STATE_FILE = `${STATE_FILE}.migrated`;

/** How long an appended write may wait for fdatasync (see the module comment for why not per write). */
const SYNC_INTERVAL_MS = 1000;

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
    const bodies = StoredBodies.restore(contents.units);
    return { contents, bodies, state: assembleState(contents.units) };
  } catch (err) {
    throw new Error(`Cannot load emulator state from ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export class StateJournal {
  private readonly file: string;
  private fd: number | undefined;
  private readonly writtenUnits = new WrittenUnits();
  /** The code bodies stored once for every script holding them (bodies.ts). */
  private bodies = new StoredBodies();
  /** Each live unit's line, as last written (a compaction writes them again). */
  private lines = new Map<string, LiveLine>();
  private liveBytes = 0;
  private journalBytes = 0;
  private legacyFile: string | undefined;
  /** A state changed since the last append: written at the end of this event-loop turn, or sooner. */
  private pending: PersistedState | undefined;
  /** The scripts the pending changes touched, by container; undefined when one of them did not say (walk all). */
  private touchedScripts: Map<object, Set<string>> | undefined = new Map();
  private compaction: Compaction | undefined;
  private waiters: Array<() => void> = [];
  /** Appended (in the kernel) but not yet fdatasync'ed; a timer will flush it. */
  private unsynced = false;
  private syncTimer: NodeJS.Timeout | undefined;
  /** The timer's fdatasync runs on libuv's thread pool; a file closed meanwhile is closed once it is done. */
  private syncing = false;
  private closeAfterSync: number[] = [];

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
    const { contents, bodies, state } = assembleJournal(file, seal);
    if (contents.tornBytes > 0) fs.truncateSync(file, contents.committedBytes);
    removeStaleCompactions(file);
    const journal = new StateJournal(dataDir, seal, minCompact, state);
    journal.lines = contents.lines;
    journal.bodies = bodies;
    for (const { bytes } of contents.lines.values()) journal.liveBytes += bytes;
    journal.journalBytes = contents.committedBytes;
    if (state) journal.writtenUnits.remember(unitsOf(state), []);
    return journal;
  }

  /**
   * Takes note that `state` changed. The changes of one event-loop turn are appended together at its end
   * (or at `writeNow`): finding what changed walks every unit, and one walk for the turn's writes costs a
   * fraction of one per write. Answers wait for that append (`written`).
   *
   * `onlyScripts`: the scripts the change touched (names in one container, a namespace's or an account's
   * `scripts`), when it touched no other; then the turn's walk looks at no other script (units.ts `scripts`).
   */
  record(state: PersistedState, onlyScripts?: { container: object; names: readonly string[] }): void {
    if (this.pending === undefined) setImmediate(() => this.writeNow());
    this.pending = state;
    if (onlyScripts === undefined) this.touchedScripts = undefined;
    else if (this.touchedScripts) {
      const names = this.touchedScripts.get(onlyScripts.container) ?? new Set<string>();
      for (const name of onlyScripts.names) names.add(name);
      this.touchedScripts.set(onlyScripts.container, names);
    }
  }

  /** Resolves once every change recorded so far is in the journal (at once when it already is). */
  written(): Promise<void> {
    if (this.pending === undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Appends what changed since the last append (one committed write, in the kernel when this returns), or
   * compacts; then the waiting answers go out. The live records may be the very objects `loaded` held.
   */
  writeNow(): void {
    const state = this.pending;
    const touchedScripts = this.touchedScripts;
    this.pending = undefined;
    this.touchedScripts = new Map();
    if (state) this.append(state, touchedScripts);
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private append(state: PersistedState, touchedScripts: TouchedScripts | undefined): void {
    const { changed, gone } = this.writtenUnits.changes(state, touchedScripts);
    if (changed.length === 0 && gone.length === 0) return;
    const lines: string[] = [];
    const live = new Map<string, LiveLine>();
    const removed = gone.map(({ key }) => key);
    const add = (key: string, json: string) => {
      const line = recordLine({ key, json });
      lines.push(line);
      live.set(key, { line, bytes: Buffer.byteLength(line) });
    };
    const carried = new Map<string, string>();
    for (const unit of changed) {
      const value = isScriptKey(unit.key) ? this.bodies.store(unit.key, unit.value as ScriptRecord, carried) : unit.value;
      add(unit.key, this.seal.stringify(value));
    }
    for (const key of removed) this.bodies.drop(key);
    for (const body of this.bodies.settle(carried, (key) => this.lines.has(key))) {
      if (body.base64 === undefined) removed.push(body.key);
      else add(body.key, JSON.stringify(body.base64));
    }
    for (const key of removed) lines.push(recordLine({ key, deleted: true }));
    this.appendText(writeText(lines));
    this.writtenUnits.remember(changed, gone);
    for (const key of removed) this.forget(key);
    for (const [key, line] of live) {
      this.liveBytes += line.bytes - (this.lines.get(key)?.bytes ?? 0);
      this.lines.set(key, line);
    }
    if (this.legacyFile) {
      // The journal now holds everything state.json did (synced first); keep the old file aside, out of the way.
      this.flush();
      fs.renameSync(this.legacyFile, path.join(this.dataDir, MIGRATED_STATE_FILE));
      this.legacyFile = undefined;
    }
    if (this.compaction === undefined && this.journalBytes > Math.max(this.minCompactBytes, 2 * this.liveBytes)) this.compact();
  }

  /**
   * Starts rewriting the journal as one write holding every live unit's line once (compaction.ts); the
   * appends go on meanwhile and the new file takes the journal's place once its snapshot is synced.
   */
  private compact(): void {
    const lines: string[] = [];
    for (const { line } of this.lines.values()) lines.push(line);
    this.compaction = new Compaction(this.file, Buffer.from(writeText(lines)), (error) => this.compacted(error));
  }

  /** The compaction's snapshot is on disk: the new file becomes the journal (or, when the sync failed, the old one stays). */
  private compacted(error: Error | null): void {
    const compaction = this.compaction!;
    this.compaction = undefined;
    if (error) {
      compaction.abandon();
      process.emitWarning(`cannot sync a compaction of ${this.file}: ${error.message} (the journal stays as it was)`);
      return;
    }
    const hasTail = compaction.hasTail;
    const { fd, bytes } = compaction.finish();
    this.closeFile();
    this.fd = fd;
    this.journalBytes = bytes;
    // The snapshot is synced; only the writes copied after it are not.
    this.unsynced = false;
    this.markUnsynced(hasTail);
    // The rename reaches the disk with the directory's sync; only an OS crash before it could undo it.
    fs.open(this.dataDir, "r", (openError, dirFd) => {
      if (openError) return process.emitWarning(`cannot sync ${this.dataDir}: ${openError.message}`);
      fs.fsync(dirFd, () => fs.close(dirFd, () => undefined));
    });
  }

  /**
   * Syncs what was appended and closes the file (a clean shutdown loses nothing, even to an OS crash).
   * A compaction still running is dropped: the journal it would replace holds everything.
   */
  close(): void {
    this.writeNow();
    this.compaction?.abandon();
    this.compaction = undefined;
    this.flush();
    this.closeFile();
  }

  /**
   * The timer's sync: off the event loop, since a flush can take long on a busy disk and the answers
   * do not wait for it. Writes appended meanwhile are left for the next one.
   */
  private syncInBackground(): void {
    this.syncTimer = undefined;
    if (!this.unsynced || this.fd === undefined) return;
    if (this.syncing) {
      this.syncTimer = setTimeout(() => this.syncInBackground(), SYNC_INTERVAL_MS).unref();
      return;
    }
    this.unsynced = false;
    this.syncing = true;
    fs.fdatasync(this.fd, (err) => {
      this.syncing = false;
      for (const fd of this.closeAfterSync.splice(0)) fs.close(fd, () => undefined);
      if (err) process.emitWarning(`cannot sync ${this.file}: ${err.message} (what was written survives a kill of this process)`);
    });
  }

  /** One fdatasync, now, for every append since the last one (at close and before compaction and migration). */
  private flush(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    // A background sync still running may not cover everything: sync again rather than wait for it.
    if ((this.unsynced || this.syncing) && this.fd !== undefined) fs.fdatasyncSync(this.fd);
    this.unsynced = false;
  }

  private forget(key: string): void {
    this.liveBytes -= this.lines.get(key)?.bytes ?? 0;
    this.lines.delete(key);
  }

  private appendText(text: string): void {
    const created = this.fd === undefined && !fs.existsSync(this.file);
    this.fd ??= fs.openSync(this.file, "a", 0o600);
    const bytes = Buffer.from(text);
    this.journalBytes += writeAll(this.fd, bytes);
    this.compaction?.follow(bytes);
    // A new file is durable only once its directory entry is.
    if (created) syncDirectory(this.dataDir);
    this.markUnsynced(true);
  }

  private markUnsynced(unsynced: boolean): void {
    if (!unsynced) return;
    this.unsynced = true;
    // Unref'd: a pending sync does not keep the process alive (what was written is the kernel's).
    this.syncTimer ??= setTimeout(() => this.syncInBackground(), SYNC_INTERVAL_MS).unref();
  }

  private closeFile(): void {
    if (this.fd !== undefined && this.syncing) this.closeAfterSync.push(this.fd);
    else if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
