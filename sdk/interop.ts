/**
 * For dispatchers kept in `@pulumi/cloudflare` (its `WorkersScript`): the binding entry that points
 * one at a namespace managed here. The shape is `@pulumi/cloudflare` v6's `WorkersScriptBinding`
 * (camelCase, `outbound.params` as names); this package does not depend on `@pulumi/cloudflare`.
 *
 *   new cloudflare.WorkersScript("dispatcher", { ..., bindings: [workersScriptDispatchBinding("TENANTS", namespace)] });
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OutboundWorker } from "./bindings";
import { DispatchNamespace } from "./dispatch-namespace";

export interface WorkersScriptDispatchNamespaceBinding {
  name: string;
  type: "dispatch_namespace";
  namespace: pulumi.Input<string>;
  outbound?: {
    params?: pulumi.Input<string>[];
    worker?: { service?: pulumi.Input<string>; environment?: pulumi.Input<string> };
  };
}

export function workersScriptDispatchBinding(
  name: string,
  namespace: DispatchNamespace | pulumi.Input<string>,
  opts: { outbound?: Omit<OutboundWorker, "entrypoint"> } = {},
): WorkersScriptDispatchNamespaceBinding {
  const binding: WorkersScriptDispatchNamespaceBinding = {
    name,
    type: "dispatch_namespace",
    // The output (not a copy of the name) keeps the dependency: the namespace exists before the dispatcher.
    namespace: DispatchNamespace.isInstance(namespace) ? namespace.namespace : namespace,
  };
  const outbound = opts.outbound;
  if (outbound) {
    binding.outbound = {
      worker: { service: outbound.service, ...(outbound.environment === undefined ? {} : { environment: outbound.environment }) },
    };
    if (outbound.params) binding.outbound.params = outbound.params;
  }
  return binding;
}
