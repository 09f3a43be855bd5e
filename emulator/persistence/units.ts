/**
 * The emulator's state cut into units, each written to the journal on its own: the meta record (default
 * account and token), one shell per account (settings, namespace list, zones, workers.dev, sessions:
 * small, and not growing with tenants), and one unit per dispatch-namespace script, account script,
 * version history, KV namespace and asset blob (the parts that grow), and one per code body that scripts
 * share (bodies.ts; not state of its own: a script unit names it). A write then costs what it changed.
 *
 * Whether a unit changed is told without serializing it, by a stamp: the record's identity plus a mark
 * that every change moves. Scripts: `modified_on` (store.ts `touch` / `putScript`; cfTimestamp is strictly
 * increasing). Histories: their version and deployment counts (both append-only). KV namespaces: the
 * `entries` array (replaced on every put/delete, kv/records.ts) and the title. Asset blobs: immutable by
 * hash. Only the meta and shells are compared by their JSON.
 */
import type { AccountRecord, NamespaceRecord, PersistedState, ScriptRecord } from "../state";
import type { ScriptHistory } from "../workers/history";
import type { AssetBlob } from "../workers/assets";
import type { KvNamespaceRecord } from "../kv/records";

/** What tells whether a unit changed since it was last written. */
export interface UnitStamp {
  ref: object | undefined;
  mark: string;
}

/** A unit of the state: its group and its name there, its journal key, its stamp and its live value. */
export interface Unit {
  group: string;
  name: string;
  key: string;
  stamp: UnitStamp;
  value: unknown;
}

/**
 * The units of one kind under one owner: the meta unit alone, an account's shell alone, the scripts of one
 * dispatch namespace, an account's KV namespaces… Each write walks every group to find what changed, so a
 * walk builds no journal key and serializes nothing (`unitKey` is called only for what is written).
 */
export interface UnitGroup {
  /** The kind and owner, as JSON; a single unit's group key is its journal key. */
  key: string;
  /**
   * Each member's name (the empty string for a single unit), stamp parts and live value (no stamp object:
   * this runs per unit per write); with `only`, just those of these names the group holds.
   */
  forEach(visit: (name: string, ref: object | undefined, mark: string, value: unknown) => void, only?: Iterable<string>): void;
  has(name: string): boolean;
  unitKey(name: string): string;
  /**
   * The script container this group's units are the records of (a dispatch namespace's or an account's
   * `scripts`); absent for other kinds. A turn whose changes named the scripts they touched looks only at
   * those in the script groups (written-units.ts): with a fleet, these are the state's bulk.
   */
  scripts?: object;
}

/** The meta unit: the state's own fields and the order of its accounts. */
interface StoredMeta extends Omit<PersistedState, "accounts"> {
  accountIds: string[];
}

type UnitKind = "meta" | "account" | "ns-script" | "account-script" | "history" | "kv" | "blob" | "body";

function keyOf(kind: UnitKind, ...parts: string[]): string {
  return JSON.stringify([kind, ...parts]);
}

/** The key of a code body stored once for every script holding it (bodies.ts), by its bytes' sha256. */
export function bodyKey(sha256: string): string {
  return keyOf("body", sha256);
}

const BODY_PREFIX = bodyKey("").slice(0, -3);
const SCRIPT_PREFIXES = [keyOf("ns-script").slice(0, -1), keyOf("account-script").slice(0, -1)];

/** The sha256 a body unit's key names; undefined for another unit. */
export function bodyOfKey(key: string): string | undefined {
  return key.startsWith(BODY_PREFIX) ? (JSON.parse(key) as [UnitKind, string])[1] : undefined;
}

/** Whether a unit is a script (a dispatch namespace's or an account's), whose code bodies are stored apart. */
export function isScriptKey(key: string): boolean {
  return SCRIPT_PREFIXES.some((prefix) => key.startsWith(`${prefix},`));
}

/**
 * An account without the parts that are units of their own (namespace scripts keep only the namespace).
 * Those parts are `undefined`, which JSON leaves out: a spread is a fast copy where a rest pattern that
 * leaves keys out is not, and this runs per turn.
 */
interface AccountShell extends Omit<AccountRecord, "dispatchNamespaces" | "scripts" | "scriptHistory" | "kvNamespaces" | "assets"> {
  dispatchNamespaces: Array<Omit<NamespaceRecord, "scripts"> & { scripts?: undefined }>;
  scripts?: undefined;
  scriptHistory?: undefined;
  /** KV namespace ids in creation order (each namespace is a unit). */
  kvNamespaces: string[];
  assets: Omit<AccountRecord["assets"], "blobs"> & { blobs?: undefined };
}

function shellOf(a: AccountRecord): AccountShell {
  return {
    ...a,
    dispatchNamespaces: a.dispatchNamespaces.map((ns) => ({ ...ns, scripts: undefined })),
    scripts: undefined,
    scriptHistory: undefined,
    kvNamespaces: a.kvNamespaces.map((n) => n.id),
    assets: { ...a.assets, blobs: undefined },
  };
}

/** A unit with no cheaper stamp than its JSON (the meta unit and account shells: small, and not growing with tenants). */
function single(key: string, value: unknown): UnitGroup {
  const mark = JSON.stringify(value);
  return { key, forEach: (visit) => visit("", undefined, mark, value), has: (name) => name === "", unitKey: () => key };
}

/** The records of one container (name → record), each a unit stamped by its `ref` and `mark`. */
function members<T extends object>(
  kind: UnitKind,
  owner: string[],
  records: Record<string, T>,
  ref: (record: T) => object,
  mark: (record: T) => string,
): UnitGroup {
  const isScripts = kind === "ns-script" || kind === "account-script";
  return {
    key: keyOf(kind, ...owner),
    scripts: isScripts ? records : undefined,
    forEach: (visit, only) => {
      for (const name of only ?? Object.keys(records)) {
        if (only && !Object.hasOwn(records, name)) continue;
        const record = records[name];
        visit(name, ref(record), mark(record), record);
      }
    },
    has: (name) => Object.hasOwn(records, name),
    unitKey: (name) => keyOf(kind, ...owner, name),
  };
}

const itself = <T extends object>(record: T): T => record;
const modifiedOn = (s: ScriptRecord) => s.modified_on;

/** Every group of the state; values are the live records (serialized only when written). */
export function* groupsOf(state: PersistedState): Generator<UnitGroup> {
  const meta: StoredMeta = {
    version: state.version,
    defaultAccountId: state.defaultAccountId,
    defaultApiToken: state.defaultApiToken,
    accountIds: state.accounts.map((a) => a.id),
  };
  yield single(keyOf("meta"), meta);
  for (const a of state.accounts) {
    yield single(keyOf("account", a.id), shellOf(a));
    for (const ns of a.dispatchNamespaces) yield members("ns-script", [a.id, ns.namespace_id], ns.scripts, itself, modifiedOn);
    yield members("account-script", [a.id], a.scripts, itself, modifiedOn);
    yield members("history", [a.id], a.scriptHistory, itself, (h) => `${h.versions.length}/${h.deployments.length}`);
    const kv = Object.fromEntries(a.kvNamespaces.map((n) => [n.id, n]));
    yield members(
      "kv",
      [a.id],
      kv,
      (n) => n.entries,
      (n) => n.title,
    );
    yield members("blob", [a.id], a.assets.blobs, itself, () => "");
  }
}

/** Every unit of the state, with its stamp. */
export function unitsOf(state: PersistedState): Unit[] {
  const units: Unit[] = [];
  for (const group of groupsOf(state)) {
    group.forEach((name, ref, mark, value) =>
      units.push({ group: group.key, name, key: group.unitKey(name), stamp: { ref, mark }, value }),
    );
  }
  return units;
}

/**
 * The state back from its units (keys and values as `unitsOf` made them); undefined when there is no
 * meta unit (an empty journal). Units whose owner is gone are errors: the journal never writes them.
 */
export function assembleState(units: Map<string, unknown>): PersistedState | undefined {
  const metaValue = units.get(keyOf("meta"));
  if (metaValue === undefined) return undefined;
  const { accountIds, ...meta } = metaValue as StoredMeta;
  const accounts = new Map<string, AccountRecord>();
  const kvById = new Map<string, KvNamespaceRecord>();
  const parts: Array<[UnitKind, string[], unknown]> = [];
  for (const [key, value] of units) {
    const [kind, ...rest] = JSON.parse(key) as [UnitKind, ...string[]];
    if (kind === "account") {
      const shell = value as AccountShell;
      accounts.set(rest[0], {
        ...shell,
        dispatchNamespaces: shell.dispatchNamespaces.map((ns) => ({ ...ns, scripts: {} })),
        scripts: {},
        scriptHistory: {},
        kvNamespaces: [],
        assets: { ...shell.assets, blobs: {} },
      });
    } else if (kind !== "meta") parts.push([kind, rest, value]);
  }
  for (const [kind, [accountId, a, b], value] of parts) {
    const account = accounts.get(accountId);
    if (!account) throw new Error(`a ${kind} unit of account ${accountId}, which the journal does not hold`);
    if (kind === "ns-script") {
      const ns = account.dispatchNamespaces.find((n) => n.namespace_id === a);
      if (!ns) throw new Error(`script ${b} of namespace ${a}, which account ${accountId} does not hold`);
      ns.scripts[b] = value as ScriptRecord;
    } else if (kind === "account-script") account.scripts[a] = value as ScriptRecord;
    else if (kind === "history") account.scriptHistory[a] = value as ScriptHistory;
    else if (kind === "blob") account.assets.blobs[a] = value as AssetBlob;
    else if (kind === "kv") kvById.set(`${accountId}/${a}`, value as KvNamespaceRecord);
  }
  for (const [id, account] of accounts) {
    const shell = units.get(keyOf("account", id)) as AccountShell;
    account.kvNamespaces = shell.kvNamespaces.map((kvId) => {
      const kv = kvById.get(`${id}/${kvId}`);
      if (!kv) throw new Error(`KV namespace ${kvId} of account ${id} is listed but not stored`);
      return kv;
    });
  }
  return {
    ...meta,
    accounts: accountIds.map((id) => {
      const account = accounts.get(id);
      if (!account) throw new Error(`account ${id} is listed but not stored`);
      return account;
    }),
  };
}
