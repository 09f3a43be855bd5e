/** Strings, numbers, booleans, and arrays and plain objects of them: nothing a Pulumi program resolves later. */
export function isPlainData(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object": {
      if (Array.isArray(value)) return value.every(isPlainData);
      const proto = Object.getPrototypeOf(value);
      return (proto === Object.prototype || proto === null) && Object.values(value).every(isPlainData);
    }
    default:
      return false;
  }
}

/** A copy of plain data, as `pulumi.output` makes one: a program that changes its object after handing it over changes nothing registered. */
export function plainCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plainCopy(v)])) as T;
}
