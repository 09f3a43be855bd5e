/**
 * Canonical JSON: the one text a value has whatever order its objects' keys were built in. Every
 * comparison of declared and stored values (framework/diff.ts) and every fingerprint a fleet keeps
 * in state (fleet/spec.ts) goes through it.
 *
 * Object keys are ordered as JavaScript orders array-index keys (numerically) first, then the rest
 * by locale order. Fingerprints in state were made with exactly this text, so it must not change.
 * It is written out (not a JSON.stringify replacer) because a fleet hashes ten thousand specs per step.
 */

const collator = new Intl.Collator();
/** Keys JavaScript orders first, numerically, in any object (array indices). */
const INDEX_KEY = /^(0|[1-9]\d{0,9})$/;
/**
 * Each object shape's keys in canonical order with their JSON text: ten thousand specs share a handful of shapes.
 * Module-level, not in the provider context: a pure memo (key list → order), the same in every context.
 */
const shapes = new Map<string, Array<[string, string]>>();
const MAX_SHAPES = 10_000;

export function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((x) => (x === undefined || typeof x === "function" ? "null" : canonical(x))).join(",")}]`;
  let out = "";
  for (const [key, prefix] of keyOrder(Object.keys(value))) {
    const x = (value as Record<string, unknown>)[key];
    if (x === undefined || typeof x === "function") continue;
    out += `${out ? "," : ""}${prefix}${canonical(x)}`;
  }
  return `{${out}}`;
}

function keyOrder(keys: string[]): Array<[string, string]> {
  const shape = keys.join("\u0000");
  let order = shapes.get(shape);
  if (order === undefined) {
    const isIndex = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295;
    const sorted = [
      ...keys.filter(isIndex).sort((a, b) => Number(a) - Number(b)),
      ...keys.filter((k) => !isIndex(k)).sort(collator.compare),
    ];
    order = sorted.map((k) => [k, `${JSON.stringify(k)}:`]);
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(shape, order);
  }
  return order;
}
