/**
 * The type token of each resource class: what the engine records in every URN (so it may never change
 * without an alias) and what `isInstance` compares, because `instanceof` fails when two copies of this
 * package are loaded (a component library depending on its own copy, for example).
 */
import type { ResourceKind } from "../provider";

/** The Node SDK names a dynamic resource `pulumi-nodejs:dynamic/<module>:<type>`. */
export const MODULE = "cloudflare-wfp";

export function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${MODULE}:${kind}`;
}

/** Whether `obj` is a resource of this kind, from any copy of this package. */
export function isResourceOfKind(obj: unknown, kind: ResourceKind): boolean {
  return obj !== null && typeof obj === "object" && (obj as { __pulumiType?: unknown }).__pulumiType === typeToken(kind);
}
