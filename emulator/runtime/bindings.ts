/**
 * Cloudflare metadata bindings → a neutral plan. `account-worker.ts` turns it into Miniflare options,
 * `registry.ts` into a Worker Loader `env`. Types the runtime cannot provide are left out of `env` and
 * reported as warnings (never a crash).
 */
import type { RuntimeScript } from "./types";

export interface DispatchNamespacePlan {
  namespace: string;
  /** Outbound Worker (an account script) that receives the tenants' subrequests. */
  outbound?: string;
}

export interface DurableObjectPlan {
  /** The class that runs. */
  className: string;
  /** What objects and storage are keyed by: it survives a rename of the class (`RuntimeScript.durableObjectNamespaces`). */
  namespaceId: string;
}

export interface BindingPlan {
  /** plain_text / secret_text (strings) and json (any JSON value). */
  vars: Record<string, unknown>;
  /** binding name → KV namespace id. */
  kv: Record<string, string>;
  /** binding name → account script (optionally a named entrypoint). */
  services: Record<string, { service: string; entrypoint?: string }>;
  dispatchNamespaces: Record<string, DispatchNamespacePlan>;
  /** `assets` bindings: the script's own static assets (`env.ASSETS.fetch(request)`). */
  assets: string[];
  /** binding name → a Durable Object class of the script itself and the namespace its objects live in. */
  durableObjects: Record<string, DurableObjectPlan>;
  /** Service-worker globals from parts: wasm_module / data_blob (bytes), text_blob goes to `vars`. */
  wasm: Record<string, Uint8Array>;
  data: Record<string, Uint8Array>;
  warnings: string[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function planBindings(script: RuntimeScript): BindingPlan {
  const plan: BindingPlan = {
    vars: {},
    kv: {},
    services: {},
    dispatchNamespaces: {},
    assets: [],
    durableObjects: {},
    wasm: {},
    data: {},
    warnings: [],
  };
  const part = (b: Record<string, unknown>) => {
    const wanted = str(b.part) ?? str(b.name);
    return script.modules.find((m) => m.name === wanted);
  };
  for (const b of script.bindings) {
    const name = str(b.name);
    const type = str(b.type) ?? "(none)";
    if (!name) {
      plan.warnings.push(`a binding of type '${type}' has no name; left out`);
      continue;
    }
    const skip = (why: string) => plan.warnings.push(`binding '${name}' (${type}): ${why}; it is left out of env`);
    switch (type) {
      case "plain_text":
      case "secret_text":
        plan.vars[name] = str(b.text) ?? "";
        break;
      case "json":
        plan.vars[name] = b.json ?? null;
        break;
      case "kv_namespace": {
        const id = str(b.namespace_id);
        if (id) plan.kv[name] = id;
        else skip("no namespace_id");
        break;
      }
      case "service": {
        const service = str(b.service);
        if (!service) skip("no service name");
        else plan.services[name] = { service, ...(str(b.entrypoint) ? { entrypoint: str(b.entrypoint) } : {}) };
        break;
      }
      case "dispatch_namespace": {
        const namespace = str(b.namespace);
        if (!namespace) {
          skip("no namespace");
          break;
        }
        const outbound = b.outbound as { worker?: { service?: unknown }; params?: unknown[] } | null | undefined;
        const outboundService = str(outbound?.worker?.service);
        if (outbound && Array.isArray(outbound.params) && outbound.params.length > 0) {
          plan.warnings.push(`binding '${name}' (dispatch_namespace): outbound params are not passed to the outbound Worker locally`);
        }
        plan.dispatchNamespaces[name] = { namespace, ...(outboundService ? { outbound: outboundService } : {}) };
        break;
      }
      case "assets":
        if (script.assets) plan.assets.push(name);
        else skip("the script has no static assets");
        break;
      case "durable_object_namespace": {
        const className = str(b.class_name);
        const scriptName = str(b.script_name);
        if (!className) skip("no class_name");
        else if (scriptName !== undefined && scriptName !== script.name)
          skip(`Durable Objects of another Worker ('${scriptName}') are not supported by the local runtime`);
        else plan.durableObjects[name] = { className, namespaceId: script.durableObjectNamespaces?.[className] ?? className };
        break;
      }
      case "wasm_module":
      case "data_blob":
      case "text_blob": {
        const m = part(b);
        if (!m) skip(`part '${str(b.part) ?? name}' was not uploaded`);
        else if (type === "wasm_module") plan.wasm[name] = m.bytes;
        else if (type === "data_blob") plan.data[name] = m.bytes;
        else plan.vars[name] = new TextDecoder().decode(m.bytes);
        break;
      }
      default:
        skip("not supported by the local runtime");
    }
  }
  return plan;
}
