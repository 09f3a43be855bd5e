/**
 * Cursor pagination over a list ordered by a string key (namespace script lists, KV keys):
 * `result_info = { cursor, count }`, the cursor non-empty only when more items remain. The cursor is
 * opaque (base64url of the last key returned), so a deletion between pages skips nothing.
 */
import { errors } from "./envelope";

export interface CursorPage<T> {
  items: T[];
  /** "" when this is the last page. */
  cursor: string;
}

/** The page of `sorted` after `cursor` (null/"" = from the start); `compare` must be the order of `sorted`. */
export function cursorPage<T>(
  sorted: readonly T[],
  key: (item: T) => string,
  cursor: string | null,
  limit: number,
  compare: (a: string, b: string) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0),
): CursorPage<T> {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rest = after === undefined ? [...sorted] : sorted.filter((item) => compare(key(item), after) > 0);
  const items = rest.slice(0, limit);
  const more = rest.length > items.length;
  return { items, cursor: more ? encodeCursor(key(items[items.length - 1])) : "" };
}

/**
 * `?limit=`: absent → `max`; above `max` → `max`; below `min` (default 1) → `min`; not a positive
 * integer → 400 / 10021 [INF].
 */
export function cursorLimit(raw: string | null, bounds: { max: number; min?: number }): number {
  if (raw === null || raw === "") return bounds.max;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw errors.invalidQuery(`limit must be an integer between ${bounds.min ?? 1} and ${bounds.max}, got '${raw}'`);
  }
  return Math.max(bounds.min ?? 1, Math.min(Number(raw), bounds.max));
}

function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof v?.after === "string") return v.after;
  } catch {
    // fall through
  }
  throw errors.invalidQuery(`Invalid cursor '${cursor}': pass the cursor from the previous response's result_info unchanged`);
}
