/**
 * Workers KV as stored: namespaces of an account and, optionally, their key/value pairs (so a local
 * runtime can later back `kv_namespace` bindings with them). Plain JSON for state.json; values are
 * base64. Entries are an array ordered by key name (Cloudflare lists keys in lexicographic order),
 * which also keeps arbitrary key names like "__proto__" harmless.
 */

export interface KvEntryRecord {
  name: string;
  value_base64: string;
  /** Arbitrary JSON attached to the key. */
  metadata?: unknown;
  /** Seconds since the epoch after which the key is gone. */
  expiration?: number;
}

export interface KvNamespaceRecord {
  /** 32 lowercase hex. */
  id: string;
  /** Unique per account. */
  title: string;
  supports_url_encoding: boolean;
  jurisdiction?: string;
  entries: KvEntryRecord[];
}

/** The namespace object as the API returns it (SDK `Namespace`). */
export function kvNamespaceView(ns: KvNamespaceRecord) {
  const view: Record<string, unknown> = { id: ns.id, title: ns.title, supports_url_encoding: ns.supports_url_encoding };
  if (ns.jurisdiction !== undefined) view.jurisdiction = ns.jurisdiction;
  return view;
}

/** Entries that have not expired at `nowSeconds`. */
export function liveEntries(ns: KvNamespaceRecord, nowSeconds = Date.now() / 1000): KvEntryRecord[] {
  return ns.entries.filter((e) => e.expiration === undefined || e.expiration > nowSeconds);
}

export function findEntry(ns: KvNamespaceRecord, name: string): KvEntryRecord | undefined {
  return liveEntries(ns).find((e) => e.name === name);
}

/** Inserts or replaces `entry`, keeping the list ordered by name (byte order, like Cloudflare). */
export function putEntry(ns: KvNamespaceRecord, entry: KvEntryRecord): void {
  const rest = ns.entries.filter((e) => e.name !== entry.name);
  rest.push(entry);
  ns.entries = rest.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

export function removeEntry(ns: KvNamespaceRecord, name: string): void {
  ns.entries = ns.entries.filter((e) => e.name !== name);
}
