/** Positions inside a provider's inputs (object keys and list items, at every depth), and replacing one. */

/** Every position in `value` (object keys and list items, at every depth), depth first. */
export function* positions(value: unknown, path: string[] = []): Generator<string[]> {
  const children: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [String(i), item])
    : value !== null && typeof value === "object"
      ? Object.entries(value)
      : [];
  for (const [key, item] of children) {
    yield [...path, key];
    yield* positions(item, [...path, key]);
  }
}

/** `value` with the position `path` holding `replacement`, everything else as it was. */
export function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (String(i) === head ? replaceAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, replacement) };
}
