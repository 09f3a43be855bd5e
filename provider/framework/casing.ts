/**
 * Pulumi programs spell every property in camelCase, at every depth; Cloudflare's API in snake_case.
 * The provider keeps the camelCase shape in state and maps it here, in one place, on the way to and
 * from Cloudflare. The types follow the SDK's, key by key, so a field Cloudflare adds appears here too.
 */

/** `head_sampling_rate` → `headSamplingRate`, as a type. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** A Cloudflare shape with every key camelCased, at every depth. */
export type Camelized<T> = T extends readonly (infer U)[]
  ? Camelized<U>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]: Camelized<T[K]> }
    : T;

const toCamelKey = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const toSnakeKey = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, rename));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), mapKeys(item, rename)]));
}

/** Cloudflare's snake_case object as the program spells it (already camelCase keys stay as they are). */
export function camelized<T>(value: T): Camelized<T> {
  return mapKeys(value, toCamelKey) as Camelized<T>;
}

/** The program's camelCase object as Cloudflare spells it. */
export function snakeCased<T>(value: Camelized<T>): T {
  return mapKeys(value, toSnakeKey) as T;
}
