/**
 * What depends on an account-level Worker, computed from the other Workers' bindings: service bindings
 * to it, and dispatch namespace bindings naming it as their outbound Worker. Both views of it read this:
 * the legacy `…/scripts/:s/references` and the Workers resource's `references` (SOURCES.md §5.7, §5.9).
 */
import type { ScriptRecord } from "./types";

export interface ServiceBindingReference {
  /** The Worker holding the binding. */
  from: ScriptRecord;
  binding: string;
}

export interface OutboundReference {
  /** The Worker whose dispatch namespace binding names this Worker as its outbound Worker. */
  from: ScriptRecord;
  namespace: string;
}

export interface WorkerDependents {
  serviceBindings: ServiceBindingReference[];
  outbounds: OutboundReference[];
}

export function dependentsOf(workers: readonly ScriptRecord[], name: string): WorkerDependents {
  const dependents: WorkerDependents = { serviceBindings: [], outbounds: [] };
  for (const from of workers) {
    for (const b of from.bindings) {
      if (b.type === "service" && b.service === name) dependents.serviceBindings.push({ from, binding: b.name });
      const outbound = (b.outbound as { worker?: { service?: string } } | undefined)?.worker;
      if (b.type === "dispatch_namespace" && outbound?.service === name)
        dependents.outbounds.push({ from, namespace: String(b.namespace) });
    }
  }
  return dependents;
}
