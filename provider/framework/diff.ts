/**
 * Comparing a resource's old state with its new inputs, key by key: the same rule for every kind.
 * An unknown new value (preview) always differs; absent lists and maps equal empty ones where the
 * kind says so, and key order inside objects does not matter.
 */
import { canonical } from "./canonical-json";
import { isUnknown } from "./unknowns";

/** The value compared for `key`: an absent one is `emptyWhenAbsent[key]` when the kind gives one. */
function comparedText(key: string, value: unknown, emptyWhenAbsent: Record<string, unknown>): string {
  const v = value === undefined || value === null ? emptyWhenAbsent[key] : value;
  return v === undefined ? "undefined" : canonical(v);
}

export function sameValue(
  key: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  emptyWhenAbsent: Record<string, unknown> = {},
): boolean {
  if (isUnknown(news[key])) return false;
  return comparedText(key, olds[key], emptyWhenAbsent) === comparedText(key, news[key], emptyWhenAbsent);
}

/** The keys among `keys` whose value differs between the old state and the new inputs. */
export function changedKeys(keys: readonly string[], olds: object, news: object, emptyWhenAbsent: Record<string, unknown> = {}): string[] {
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  return keys.filter((key) => !sameValue(key, o, n, emptyWhenAbsent));
}
