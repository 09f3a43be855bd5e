/** Stored Worker records (state.json shape) → what the local Workers runtime runs. */
import type { RuntimeModule, RuntimeScript } from "../runtime/types";
import { namespaceIdOf } from "../workers/migrations";
import type { Binding, ScriptRecord } from "../workers/types";

/** Binding types whose `part` names an uploaded form part (service-worker syntax). */
const PART_BINDINGS = new Set(["wasm_module", "text_blob", "data_blob"]);

function runtimeModule(m: ScriptRecord["modules"][number]): RuntimeModule {
  // A fresh Uint8Array, not a pooled Buffer view: workerd/Miniflare may read `.buffer` as a whole.
  return { name: m.name, contentType: m.content_type, bytes: new Uint8Array(Buffer.from(m.content_base64, "base64")) };
}

/**
 * A part binding may name the form field (`part_name`) while the runtime looks modules up by module name
 * (the part's filename); point it at the module name so both spellings Cloudflare accepts work locally.
 */
function runtimeBinding(b: Binding, record: ScriptRecord): Record<string, unknown> {
  const copy = structuredClone(b) as Record<string, unknown>;
  if (PART_BINDINGS.has(b.type) && typeof b.part === "string") {
    const m = record.modules.find((x) => x.name === b.part) ?? record.modules.find((x) => x.part_name === b.part);
    if (m) copy.part = m.name;
  }
  return copy;
}

/**
 * The runtime's view of a stored Worker. The etag is the code etag: the runtime fingerprints bindings and
 * compatibility settings itself (settings and secrets change without a new code etag). Bindings keep secret
 * values — the Worker needs them, only API answers hide them.
 */
export function toRuntimeScript(record: ScriptRecord): RuntimeScript {
  return {
    name: record.name,
    etag: record.etag,
    mainModule: record.main_module,
    modules: record.modules.map(runtimeModule),
    bindings: record.bindings.map((b) => runtimeBinding(b, record)),
    compatibilityDate: record.compatibility_date,
    compatibilityFlags: [...record.compatibility_flags],
    ...(record.durable_object_classes
      ? { durableObjectNamespaces: Object.fromEntries(record.durable_object_classes.map((c) => [c, namespaceIdOf(record, c)])) }
      : {}),
    ...(record.assets
      ? {
          assets: {
            files: Object.fromEntries(Object.entries(record.assets.manifest).map(([p, e]) => [p, e.hash])),
            config: structuredClone(record.assets.config),
          },
        }
      : {}),
  };
}
