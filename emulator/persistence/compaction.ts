/**
 * A compaction of the journal that keeps the request path free of disk flushes. The live units' lines go
 * to a temporary file at once (write(2), the page cache: quick); its fsync runs on libuv's thread pool
 * while the emulator keeps answering. Writes appended meanwhile still go to the old journal (an answer
 * waits for that write(2), as always) and are copied after the snapshot; once the snapshot is synced the
 * temporary file, now holding everything, replaces the journal by rename.
 *
 * A kill at any point leaves a whole store: before the rename the journal is the old file, which holds
 * every write; after it, the new one, which holds the snapshot and every write appended since. A
 * temporary file a kill left behind is removed at the next open (`removeStaleCompactions`).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const TEMP_SUFFIX = ".compacting";

/** The temporary file of a compaction of `file`, named after the process writing it. */
function tempFileOf(file: string): string {
  return `${file}.${process.pid}${TEMP_SUFFIX}`;
}

/** Removes what compactions of `file` interrupted by a kill left behind (never the journal itself). */
export function removeStaleCompactions(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** The journal after a finished compaction: its file, open for appends, and its size. */
export interface CompactedJournal {
  fd: number;
  bytes: number;
}

export class Compaction {
  private readonly temp: string;
  private readonly fd: number;
  private bytes: number;
  private readonly tail: Buffer[] = [];
  /** The snapshot's fsync is still running on the thread pool. */
  private syncing = true;
  private state: "running" | "finished" | "abandoned" = "running";

  /**
   * Starts a compaction of `file` to `snapshot` (the whole journal's text: every live unit, then a
   * commit); `whenSynced` runs once the snapshot is on disk (or the sync failed), on the event loop.
   */
  constructor(
    private readonly file: string,
    snapshot: Buffer,
    whenSynced: (error: Error | null) => void,
  ) {
    this.temp = tempFileOf(file);
    this.fd = fs.openSync(this.temp, "w", 0o600);
    this.bytes = writeAll(this.fd, snapshot);
    fs.fsync(this.fd, (error) => {
      this.syncing = false;
      if (this.state === "abandoned") fs.close(this.fd, () => undefined);
      else whenSynced(error);
    });
  }

  /** A write appended to the old journal while this runs: it follows the snapshot in the new one. */
  follow(write: Buffer): void {
    this.tail.push(write);
  }

  /** Whether writes followed the snapshot (the new journal then has an unsynced part). */
  get hasTail(): boolean {
    return this.tail.length > 0;
  }

  /**
   * Copies the writes appended since the snapshot and puts the new file in the journal's place; the
   * caller closes the old one. The rename reaches the disk with the directory's next sync.
   */
  finish(): CompactedJournal {
    if (this.state !== "running" || this.syncing)
      throw new Error(`${this.temp}: the compaction cannot finish before its snapshot is synced`);
    for (const write of this.tail) this.bytes += writeAll(this.fd, write);
    fs.renameSync(this.temp, this.file);
    this.state = "finished";
    return { fd: this.fd, bytes: this.bytes };
  }

  /** Drops the compaction (the old journal holds everything): at close, or when its sync failed. */
  abandon(): void {
    if (this.state !== "running") return;
    this.state = "abandoned";
    fs.rmSync(this.temp, { force: true });
    if (!this.syncing) fs.closeSync(this.fd);
  }
}

/** write(2) until the kernel has all of `bytes` (it may take part of a large buffer). */
export function writeAll(fd: number, bytes: Buffer): number {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done);
  return bytes.length;
}
