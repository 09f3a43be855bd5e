/**
 * Canonical JSON: the one text a value has whatever order its objects' keys were built in. Every
 * comparison of declared and stored values (framework/diff.ts) and every fingerprint a fleet keeps
 * in state (fleet/spec.ts) goes through it.
 *
 * Object keys are ordered as JavaScript orders array-index keys (numerically) first, then the rest
 * by locale order. Fingerprints in state were made with exactly this text, so it must not change.
 * It is written out (not a JSON.stringify replacer) because a fleet hashes ten thousand specs per step.
 */

import { BoundedMemo } from "./memo";

const collator = new Intl.Collator();
/** Keys JavaScript orders first, numerically, in any object (array indices). */
const INDEX_KEY = /^(0|[1-9]\d{0,9})$/;
const MAX_SHAPES = 10_000;

/**
 * Each object shape's keys in canonical order with their JSON text: ten thousand specs share a
 * handful of shapes, and sorting with the collator is most of the text's cost. Callers that write
 * many texts (a fleet's fingerprints) pass their context's (../caches.ts); others sort each time.
 */
export class KeyOrders {
  private readonly shapes = new BoundedMemo<string, Array<[string, string]>>(MAX_SHAPES);

  of(keys: string[]): Array<[string, string]> {
    return this.shapes.of(keys.join("\u0000"), () => keyOrder(keys));
  }
}

export function canonical(value: unknown, orders?: KeyOrders): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((x) => (x === undefined || typeof x === "function" ? "null" : canonical(x, orders))).join(",")}]`;
  let out = "";
  const keys = Object.keys(value);
  for (const [key, prefix] of orders ? orders.of(keys) : keyOrder(keys)) {
    const x = (value as Record<string, unknown>)[key];
    if (x === undefined || typeof x === "function") continue;
    out += `${out ? "," : ""}${prefix}${canonical(x, orders)}`;
  }
  return `{${out}}`;
}

function keyOrder(keys: string[]): Array<[string, string]> {
  const isIndex = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295;
  const sorted = [...keys.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isIndex(k)).sort(collator.compare)];
  return sorted.map((k) => [k, `${JSON.stringify(k)}:`]);
}
