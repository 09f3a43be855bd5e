/** Account scripts (the dispatcher and friends) → Miniflare worker options. */
import type { WorkerOptions } from "miniflare";
import { planBindings, type DurableObjectPlan } from "./bindings";
import { clampCompatibilityDate, rpcFlagsFor } from "./compat";
import { ENTRY_WORKER, INTERNAL_WORKER } from "./internal-workers";
import { isServiceWorker, mainOf, miniflareModules, VIRTUAL_MODULES_ROOT } from "./modules";
import type { RuntimeScript } from "./types";

export interface AccountWorker {
  options: WorkerOptions;
  warnings: string[];
}

const RESERVED = new Set([ENTRY_WORKER, INTERNAL_WORKER]);

export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * Miniflare keeps a class's objects and storage under its unique key, by default `<script>-<class>`; keyed
 * by the namespace id instead, a renamed class finds them (a class never renamed keeps the default key).
 */
function durableObjectOptions(scriptName: string, o: DurableObjectPlan) {
  return { className: o.className, useSQLite: true, unsafeUniqueKey: `${scriptName}-${o.namespaceId}` };
}

/**
 * @param accountNames every account script that will run (service bindings and outbound Workers must name one)
 * @param supportedDate newest compatibility date the local workerd accepts
 */
export function accountWorkerOptions(script: RuntimeScript, accountNames: ReadonlySet<string>, supportedDate: string): AccountWorker {
  const warnings: string[] = [];
  const plan = planBindings(script);
  warnings.push(...plan.warnings);

  const date = clampCompatibilityDate(script.compatibilityDate, supportedDate);
  if (date.warning) warnings.push(date.warning);
  const usesRpc = Object.keys(plan.kv).length > 0 || Object.keys(plan.dispatchNamespaces).length > 0;
  const extraFlags = usesRpc ? rpcFlagsFor(date.date, script.compatibilityFlags) : [];
  if (extraFlags.length) {
    warnings.push(
      `compatibility flags ${extraFlags.join(", ")} added so KV / dispatch namespace bindings work locally (they are RPC services here)`,
    );
  }

  const serviceBindings: NonNullable<WorkerOptions["serviceBindings"]> = {};
  for (const [name, namespaceId] of Object.entries(plan.kv)) {
    serviceBindings[name] = { name: INTERNAL_WORKER, entrypoint: "KvNamespace", props: { namespaceId } };
  }
  for (const name of plan.assets) {
    serviceBindings[name] = { name: INTERNAL_WORKER, entrypoint: "Assets", props: { name: script.name } };
  }
  for (const [name, target] of Object.entries(plan.services)) {
    if (!accountNames.has(target.service)) {
      warnings.push(`binding '${name}' (service): no account script '${target.service}'; it is left out of env`);
      continue;
    }
    serviceBindings[name] = { name: target.service, ...(target.entrypoint ? { entrypoint: target.entrypoint } : {}) };
  }
  for (const [name, ns] of Object.entries(plan.dispatchNamespaces)) {
    let outbound = ns.outbound;
    if (outbound && !accountNames.has(outbound)) {
      warnings.push(
        `binding '${name}' (dispatch_namespace): outbound Worker '${outbound}' is not an account script; tenants fetch without it`,
      );
      outbound = undefined;
    }
    serviceBindings[name] = {
      name: INTERNAL_WORKER,
      entrypoint: "DispatchNamespace",
      props: { namespace: ns.namespace, ...(outbound ? { outbound } : {}) },
    };
  }

  const code: Partial<WorkerOptions> = isServiceWorker(script)
    ? { script: new TextDecoder().decode(mainOf(script).bytes), modules: false }
    : { modules: miniflareModules(script), modulesRoot: VIRTUAL_MODULES_ROOT };

  const options = {
    name: script.name,
    compatibilityDate: date.date,
    compatibilityFlags: [...script.compatibilityFlags, ...extraFlags],
    ...code,
    bindings: plan.vars as Record<string, never>,
    serviceBindings,
    ...(Object.keys(plan.durableObjects).length
      ? {
          durableObjects: Object.fromEntries(
            Object.entries(plan.durableObjects).map(([binding, o]) => [binding, durableObjectOptions(script.name, o)]),
          ),
        }
      : {}),
    ...(Object.keys(plan.wasm).length ? { wasmBindings: plan.wasm } : {}),
    ...(Object.keys(plan.data).length ? { dataBlobBindings: plan.data } : {}),
  } as WorkerOptions;
  return { options, warnings };
}
