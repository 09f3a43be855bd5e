/**
 * During `pulumi preview`, inputs that depend on resources not yet created reach `check` and `diff`
 * as this sentinel string, whatever their type (pulumi/pulumi#6310). Validation skips them, and
 * `diff` treats them as "will change".
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the value is, or contains at any depth, an unknown. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

/** Whether the value itself is unknown (a known object may still hold unknowns inside: check those one by one). */
export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN;
}
