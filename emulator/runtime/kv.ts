/** In-memory KV used when the RuntimeSource has no `kv` backing (data lives as long as the runtime). */
import type { RuntimeKv, RuntimeKvListOptions, RuntimeKvListResult, RuntimeKvPutOptions } from "./types";

interface Entry {
  value: Uint8Array;
  expiration?: number;
  metadata?: unknown;
}

export function createMemoryKv(now: () => number = () => Date.now()): RuntimeKv {
  const spaces = new Map<string, Map<string, Entry>>();
  const space = (id: string) => {
    let s = spaces.get(id);
    if (!s) spaces.set(id, (s = new Map()));
    return s;
  };
  const live = (id: string, key: string): Entry | undefined => {
    const e = spaces.get(id)?.get(key);
    if (e && e.expiration !== undefined && e.expiration * 1000 <= now()) {
      spaces.get(id)!.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    async get(id, key) {
      return live(id, key)?.value;
    },
    async getWithMetadata(id, key) {
      const e = live(id, key);
      return e ? { value: e.value, metadata: e.metadata ?? null } : undefined;
    },
    async put(id, key, value, options: RuntimeKvPutOptions = {}) {
      space(id).set(key, { value: value.slice(), expiration: options.expiration, metadata: options.metadata });
    },
    async delete(id, key) {
      spaces.get(id)?.delete(key);
    },
    async list(id, options: RuntimeKvListOptions = {}): Promise<RuntimeKvListResult> {
      const limit = Math.min(Math.max(options.limit ?? 1000, 1), 1000);
      const names = [...(spaces.get(id)?.keys() ?? [])].filter((k) => k.startsWith(options.prefix ?? "") && live(id, k)).sort();
      const start = options.cursor ? Number(Buffer.from(options.cursor, "base64url").toString()) || 0 : 0;
      const page = names.slice(start, start + limit);
      const complete = start + limit >= names.length;
      return {
        keys: page.map((name) => {
          const e = live(id, name)!;
          return {
            name,
            ...(e.expiration !== undefined ? { expiration: e.expiration } : {}),
            ...(e.metadata !== undefined ? { metadata: e.metadata } : {}),
          };
        }),
        list_complete: complete,
        ...(complete ? {} : { cursor: Buffer.from(String(start + limit)).toString("base64url") }),
      };
    },
  };
}
