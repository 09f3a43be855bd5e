/**
 * `kv_namespace` bindings backed by the emulator's own KV records, so a value written through the API
 * (`PUT …/storage/kv/namespaces/:id/values/:key`) is what `env.KV.get()` reads, and a Worker's `put()` is
 * visible to the API and persisted like every other change (`state.mutate`, kept before the call returns).
 */
import { cursorPage } from "../cursor";
import { findEntry, liveEntries, putEntry, removeEntry, type KvEntryRecord, type KvNamespaceRecord } from "../kv/records";
import type { RuntimeKv, RuntimeKvListResult } from "../runtime/types";
import type { EmulatorState } from "../state";

/** [CF-DOCS] `list()` returns at most 1000 keys per call (also the default). */
const MAX_LIST_LIMIT = 1000;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** KV over the namespaces of one account (a Worker can only bind its own account's namespaces). */
export function stateKv(state: EmulatorState, accountId: string): RuntimeKv {
  // Looked up on every call: reset() and API deletes replace the live records.
  const namespace = (id: string): KvNamespaceRecord => {
    const ns = state.getAccount(accountId)?.kvNamespaces.find((n) => n.id === id);
    // A binding may name a namespace that was deleted (or never existed): fail the operation visibly.
    if (!ns) throw new Error(`KV namespace '${id}' does not exist in account ${accountId}`);
    return ns;
  };
  const read = (id: string, key: string) => {
    const e = findEntry(namespace(id), key);
    return e && { value: new Uint8Array(Buffer.from(e.value_base64, "base64")), metadata: e.metadata ?? null };
  };
  return {
    async get(id, key) {
      return read(id, key)?.value;
    },
    async getWithMetadata(id, key) {
      return read(id, key);
    },
    async put(id, key, value, options = {}) {
      const ns = namespace(id);
      const entry: KvEntryRecord = { name: key, value_base64: Buffer.from(value).toString("base64") };
      if (options.metadata !== undefined) entry.metadata = options.metadata;
      if (options.expiration !== undefined) entry.expiration = options.expiration;
      state.mutate(() => putEntry(ns, entry));
      await state.written();
    },
    async delete(id, key) {
      const ns = namespace(id);
      state.mutate(() => removeEntry(ns, key));
      await state.written();
    },
    async list(id, options = {}): Promise<RuntimeKvListResult> {
      const prefix = options.prefix ?? "";
      const limit = Math.min(Math.max(options.limit ?? MAX_LIST_LIMIT, 1), MAX_LIST_LIMIT);
      const matching = liveEntries(namespace(id)).filter((e) => e.name.startsWith(prefix));
      // Same opaque cursor as the API's `GET …/keys`.
      const page = cursorPage(matching, (e) => e.name, options.cursor ?? null, limit, byteOrder);
      return {
        keys: page.items.map((e) => ({
          name: e.name,
          ...(e.expiration !== undefined ? { expiration: e.expiration } : {}),
          ...(e.metadata !== undefined ? { metadata: structuredClone(e.metadata) } : {}),
        })),
        list_complete: page.cursor === "",
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
  };
}
