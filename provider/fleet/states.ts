/**
 * What state keeps per tenant of a fleet, and its stored form: one text with a line per tenant.
 *
 * The engine encodes every value of every property as a protobuf `Struct` each time a resource's
 * state crosses a process (the program's registration answer, each check and diff request): a map
 * of an object per tenant is four values per tenant, ten thousand tenants forty thousand, and
 * decoding them was most of a no-op `up`'s time in the program and the provider. One text is one
 * value. Lines rather than JSON because the text is then encrypted as a secret and base64-encoded:
 * no key names and no escaped quotes keeps state per tenant small. The sdk gives programs the
 * parsed map (`TenantFleet.scripts`), so the text is only what state holds.
 *
 *     tenant-a 26c4548b0c245706 37b6662b…4890 2026-11-29T12:01:45.062691Z
 *     tenant-b 90f724a4a59b33a0 0c1f…77aa 2026-11-29T12:01:45.068009Z drifted
 */

/** What state keeps per tenant: the fingerprint of its last upload and what Cloudflare answered. */
export interface TenantState {
  /** The fingerprint of the spec last uploaded (or adopted). */
  specHash: string;
  /** Cloudflare's etag of the uploaded code; refresh compares it. */
  etag: string;
  /** When Cloudflare last changed the script; refresh compares it. */
  modifiedOn: string;
  /** Set by refresh when the script changed outside Pulumi: the next `up` uploads it again. */
  drifted?: boolean;
  /** The manifest hash of the static assets Cloudflare has for the script: an upload with the same files keeps them without an asset request. */
  assetsHash?: string;
  /** The last Durable Object migration Cloudflare applied to the script: migrations up to it are not sent again. */
  migrationTag?: string;
}

/** The tenants' states as state holds them: the text, or the map itself (state written before the text form). */
export type StoredTenantStates = string | Record<string, TenantState>;

const DRIFTED = "drifted";

// A field never holds a space or a line break (names, hex digests and timestamps), but one from
// Cloudflare is escaped anyway rather than trusted; an empty one is written as "-" (and a "-" escaped).
const escaped = (field: string) =>
  field === "" ? "-" : field === "-" ? "%2D" : field.replace(/[% \n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
const unescaped = (field: string | undefined) => (field === undefined || field === "-" ? "" : decodeURIComponent(field));

/** The stored form: a line per tenant (name, fingerprint, etag, modification time, and `drifted` when set). */
export function storedTenantStates(states: Record<string, TenantState>): string {
  return Object.entries(states)
    .map(([name, s]) => [name, s.specHash, s.etag, s.modifiedOn].map(escaped).join(" ") + (s.drifted ? ` ${DRIFTED}` : ""))
    .join("\n");
}

/** The map from either stored form; nothing stored is no tenant. */
export function tenantStatesOf(stored: StoredTenantStates | undefined | null): Record<string, TenantState> {
  if (stored === undefined || stored === null) return {};
  if (typeof stored !== "string") return stored;
  const states: Record<string, TenantState> = {};
  for (const line of stored.split("\n")) {
    if (line === "") continue;
    const [name, specHash, etag, modifiedOn, flag] = line.split(" ");
    states[unescaped(name)] = { specHash: unescaped(specHash), etag: unescaped(etag), modifiedOn: unescaped(modifiedOn), ...(flag === DRIFTED ? { drifted: true } : {}) };
  }
  return states;
}
