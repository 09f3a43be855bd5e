import type * as pulumi from "@pulumi/pulumi";
import type { BindingSpec } from "../provider";

/**
 * A resource that can be given directly as a binding value (`bindings: { TENANTS: namespace }`):
 * it knows its own binding, built from its outputs, so the engine orders it before the Worker and
 * a rename flows into the Worker's binding in the same `up`.
 */
export interface Bindable {
  asBinding(): pulumi.OutputInstance<BindingSpec>;
}

export function isBindable(value: unknown): value is Bindable {
  return typeof value === "object" && value !== null && typeof (value as Bindable).asBinding === "function";
}
