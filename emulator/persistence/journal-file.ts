/**
 * The journal's file format. One line per record, `<check> <json>\n`, where `<check>` is the first 16
 * hex digits of the JSON's sha256:
 *   {"k":<unit key>,"v":<value>}   the unit now holds value
 *   {"k":<unit key>,"d":1}         the unit is gone
 *   {"c":1}                        commit: the records since the previous commit are one write
 * A write is appended whole with write(2) (fdatasync follows on a timer, state-journal.ts). On load only
 * committed writes apply; a torn tail (a partial line, a bad check or records without their commit, all
 * after the last commit) is what a kill mid-write or an OS crash before the sync leaves, and is cut off.
 * A bad line before a commit is damage, and loading fails.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";

export const JOURNAL_FILE = "state.journal";

/** One record of a write: a unit's new value as JSON text (secrets already sealed), or its removal. */
export type JournalRecord = { key: string; json: string } | { key: string; deleted: true };

function check(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

/** A record's line: its check, a space, its JSON. */
export function journalLine(json: string): string {
  return `${check(json)} ${json}\n`;
}

/** The line of one record (its length in bytes is what the unit costs the journal). */
export function recordLine(r: JournalRecord): string {
  return "deleted" in r ? journalLine(`{"k":${JSON.stringify(r.key)},"d":1}`) : journalLine(`{"k":${JSON.stringify(r.key)},"v":${r.json}}`);
}

const COMMIT = journalLine(`{"c":1}`);

/** The text of one write: its records, then the commit. */
export function writeText(lines: string[]): string {
  return lines.join("") + COMMIT;
}

/** A unit's line as it is in the journal, and its length in bytes (what the unit costs the journal). */
export interface LiveLine {
  line: string;
  bytes: number;
}

export interface JournalContents {
  /** Unit key → value (parsed by the caller's `parse`), after every committed write. */
  units: Map<string, unknown>;
  /** Unit key → the line that set it (what a compaction writes again). */
  lines: Map<string, LiveLine>;
  /** Bytes up to the end of the last commit: where the next write goes. */
  committedBytes: number;
  /** Bytes after it (a torn write), 0 when the file ends with a commit. */
  tornBytes: number;
}

/** Reads a journal; `parse` turns a record's JSON into an object (e.g. opening sealed secrets). */
export function readJournal(file: string, parse: (json: string) => unknown): JournalContents {
  const buf = fs.readFileSync(file);
  const units = new Map<string, unknown>();
  const lines = new Map<string, LiveLine>();
  let pending: Array<{ key: string; value?: unknown; line: LiveLine }> = [];
  let committedBytes = 0;
  let damage: string | undefined;
  let pos = 0;
  while (pos < buf.length) {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) break; // a partial last line: torn
    const text = buf.toString("utf8", pos, end);
    const size = end + 1 - pos;
    const at = pos;
    pos = end + 1;
    const space = text.indexOf(" ");
    const json = text.slice(space + 1);
    if (space !== 16 || check(json) !== text.slice(0, 16)) {
      damage ??= `bad record at byte ${at}`;
      continue;
    }
    const record = parse(json) as { k?: string; v?: unknown; d?: 1; c?: 1 };
    if (record.c === 1) {
      if (damage) throw new Error(`${file}: ${damage}, before a later committed write (the journal is damaged)`);
      for (const p of pending) {
        if ("value" in p) {
          units.set(p.key, p.value);
          lines.set(p.key, p.line);
        } else {
          units.delete(p.key);
          lines.delete(p.key);
        }
      }
      pending = [];
      committedBytes = pos;
    } else if (typeof record.k === "string") {
      const line = { line: `${text}\n`, bytes: size };
      pending.push(record.d === 1 ? { key: record.k, line } : { key: record.k, value: record.v, line });
    } else damage ??= `unknown record at byte ${at}`;
  }
  return { units, lines, committedBytes, tornBytes: buf.length - committedBytes };
}

/** Makes a rename durable (the directory entry itself). */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
