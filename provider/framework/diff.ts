/**
 * Comparing a resource's old state with its new inputs, key by key: the same rule for every kind.
 * An unknown new value (preview) always differs; absent lists and maps equal empty ones where the
 * kind says so, and key order inside objects does not matter.
 */
import { isUnknown } from "./unknowns";

/** Canonical JSON (sorted keys); an absent value is `emptyWhenAbsent[key]` when the kind gives one. */
function canonical(key: string, value: unknown, emptyWhenAbsent: Record<string, unknown>): string {
  const v = value === undefined || value === null ? emptyWhenAbsent[key] : value;
  return (
    JSON.stringify(v, (_k, x) =>
      x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
    ) ?? "undefined"
  );
}

export function sameValue(key: string, olds: Record<string, unknown>, news: Record<string, unknown>, emptyWhenAbsent: Record<string, unknown> = {}): boolean {
  if (isUnknown(news[key])) return false;
  return canonical(key, olds[key], emptyWhenAbsent) === canonical(key, news[key], emptyWhenAbsent);
}

/** The keys among `keys` whose value differs between the old state and the new inputs. */
export function changedKeys(keys: readonly string[], olds: object, news: object, emptyWhenAbsent: Record<string, unknown> = {}): string[] {
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  return keys.filter((key) => !sameValue(key, o, n, emptyWhenAbsent));
}
