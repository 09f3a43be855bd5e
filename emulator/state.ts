/**
 * The emulator's data model — accounts → dispatch namespaces → scripts (user Workers); account-level
 * Workers and their workers.dev toggles; zones → Worker routes; KV namespaces. With a data directory,
 * every mutation is made durable by the state journal (persistence/state-journal.ts), which writes only
 * what changed. `state.json`, the whole-state file of earlier versions, is still read here to migrate it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cfTimestamp } from "./ids";
import { SecretSeal } from "./secret-seal";
import type { StateJournal } from "./persistence/state-journal";
import type { KvNamespaceRecord } from "./kv/records";
import type { ScriptHistory } from "./workers/history";
import type { ScheduleRecord } from "./workers/schedules";
import { type AccountAssets, emptyAccountAssets } from "./workers/assets";
import { withoutSecretValues } from "./workers/secrets";
import { findScript, scriptsByName, type ScriptContainer } from "./workers/store";
import type { ModuleRecord, PartRecord, ScriptRecord } from "./workers/types";
import { emptyWorkersDev, scriptSubdomain, type ScriptSubdomain, type WorkersDevRecord } from "./workers/workers-dev";
import type { WorkerDomainRecord } from "./zones/worker-domains";
import { newZone, type RouteRecord, type ZoneRecord, type ZoneSeed } from "./zones/zones";

export const STATE_FILE = "state.json";
const STATE_VERSION = 1;

export interface AccountSettings {
  enforce_twofactor: boolean;
  api_access_enabled: boolean | null;
  use_account_custom_ns_by_default: boolean;
  default_nameservers: string;
  abuse_contact_email: string | null;
}

export type { Binding, ModuleRecord, PartRecord, ScriptRecord } from "./workers/types";
export type { KvEntryRecord, KvNamespaceRecord } from "./kv/records";
export type { ScriptSubdomain, WorkersDevRecord } from "./workers/workers-dev";
export type { RouteRecord, ZoneRecord, ZoneSeed } from "./zones/zones";

/** A module or part of a stored script as the StateView returns it: the record plus its bytes decoded. */
export type WithBytes<T> = T & {
  /** The bytes (decoded from `content_base64`). */
  bytes: Buffer;
  /** The bytes as UTF-8 text. */
  text: string;
};

/** What `state.script()` returns: a copy of the stored record with module/part bytes decoded. */
export type ScriptSnapshot = Omit<ScriptRecord, "modules" | "parts"> & {
  modules: Array<WithBytes<ModuleRecord>>;
  parts: Array<WithBytes<PartRecord>>;
};

export interface NamespaceRecord {
  namespace_id: string;
  namespace_name: string;
  created_on: string;
  modified_on: string;
  created_by: string;
  modified_by: string;
  trusted_workers: boolean;
  /** Keyed by script name (user Workers uploaded into the namespace). */
  scripts: Record<string, ScriptRecord>;
}

export interface AccountRecord {
  id: string;
  name: string;
  type: "standard" | "enterprise";
  created_on: string;
  settings: AccountSettings;
  /** In creation order (which is also the list order). */
  dispatchNamespaces: NamespaceRecord[];
  /** Account-level Workers (e.g. the dispatcher), keyed by name. */
  scripts: Record<string, ScriptRecord>;
  workersDev: WorkersDevRecord;
  /** Versions and deployments of the account-level Workers, keyed by Worker name (workers/history.ts). */
  scriptHistory: Record<string, ScriptHistory>;
  /** Configured zones (see zones/zones.ts), each with its Worker routes. */
  zones: ZoneRecord[];
  /** Workers custom domains (zones/worker-domains.ts), in creation order. */
  workerDomains: WorkerDomainRecord[];
  /** In creation order. */
  kvNamespaces: KvNamespaceRecord[];
  /** Uploaded static asset files (by hash) and the tokens of the asset upload flow. */
  assets: AccountAssets;
  /** Cron triggers of account-level Workers, by Worker name (workers/schedules.ts); absent until one is set. */
  schedules?: Record<string, ScheduleRecord[]>;
}

export interface AccountSeed {
  id: string;
  name: string;
  /** Zones of this account (ids resolved). */
  zones?: Array<Required<ZoneSeed>>;
}

/** What `state.zones()` returns: a zone without its routes (read those with `state.routes(zoneId)`). */
export type ZoneSnapshot = Omit<ZoneRecord, "routes"> & { account_id: string };

/** What `state.routes()` returns: a route with the zone it belongs to. */
export type RouteSnapshot = RouteRecord & { zone_id: string; zone_name: string };

/** The JSON document stored in `<dataDir>/state.json`. */
export interface PersistedState {
  version: number;
  defaultAccountId: string;
  defaultApiToken: string;
  accounts: AccountRecord[];
}

/** Read access for tests and the control endpoint; returned objects are copies. */
export interface StateView {
  accounts(): AccountRecord[];
  account(accountId: string): AccountRecord | undefined;
  /** Namespaces of an account (default: the emulator's default account), in creation order. */
  namespaces(accountId?: string): NamespaceRecord[];
  namespace(name: string, accountId?: string): NamespaceRecord | undefined;
  /** Scripts of a namespace, ordered by name; [] when the namespace does not exist. */
  scripts(namespace: string, accountId?: string): ScriptSnapshot[];
  /**
   * One script of a namespace as stored: code (`modules`, main first, with `bytes`/`text`),
   * configuration (bindings including secret values), and what the client sent in the last
   * code upload (`metadata` as parsed JSON, `parts` in order with their bytes).
   */
  script(namespace: string, name: string, accountId?: string): ScriptSnapshot | undefined;
  /** Account-level Workers (`/workers/scripts`), ordered by name; same snapshot shape as `script()`. */
  accountScripts(accountId?: string): ScriptSnapshot[];
  accountScript(name: string, accountId?: string): ScriptSnapshot | undefined;
  /** The account's workers.dev subdomain; null when none is registered. */
  workersDevSubdomain(accountId?: string): string | null;
  /** An account-level Worker's workers.dev toggle; undefined when the Worker does not exist. */
  scriptSubdomain(name: string, accountId?: string): ScriptSubdomain | undefined;
  /** Zones of an account (default: the default account), in configuration order. */
  zones(accountId?: string): ZoneSnapshot[];
  /** Worker routes of one zone (any account), or of every zone of the default account; in creation order. */
  routes(zoneId?: string): RouteSnapshot[];
  /** KV namespaces of an account in creation order, with their entries (values base64). */
  kvNamespaces(accountId?: string): KvNamespaceRecord[];
  snapshot(): PersistedState;
}

/** Reads `<dataDir>/state.json` (the format before the journal); undefined if absent. Throws a clear error if it is corrupt. */
export function loadPersistedState(dataDir: string): PersistedState | undefined {
  const file = path.join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let doc: unknown;
  try {
    doc = SecretSeal.forDataDir(dataDir).parse(text);
  } catch (err) {
    throw new Error(`Cannot load emulator state from ${file}: ${(err as Error).message}`, { cause: err });
  }
  const d = doc as Partial<PersistedState>;
  if (!d || d.version !== STATE_VERSION || !Array.isArray(d.accounts) || typeof d.defaultAccountId !== "string") {
    throw new Error(`Cannot load emulator state from ${file}: unexpected format (expected version ${STATE_VERSION})`);
  }
  return d as PersistedState;
}

function withBytes<T extends { content_base64: string }>(item: T): WithBytes<T> {
  const bytes = Buffer.from(item.content_base64, "base64");
  return { ...item, bytes, text: bytes.toString("utf8") };
}

function scriptSnapshot(s: ScriptRecord): ScriptSnapshot {
  const copy = structuredClone(s);
  return { ...copy, modules: copy.modules.map(withBytes), parts: copy.parts.map(withBytes) };
}

export function newAccount(seed: AccountSeed): AccountRecord {
  return {
    id: seed.id,
    name: seed.name,
    type: "standard",
    created_on: cfTimestamp(),
    settings: {
      enforce_twofactor: false,
      api_access_enabled: null,
      use_account_custom_ns_by_default: false,
      default_nameservers: "cloudflare.standard",
      abuse_contact_email: null,
    },
    dispatchNamespaces: [],
    scripts: {},
    workersDev: emptyWorkersDev(),
    scriptHistory: {},
    zones: (seed.zones ?? []).map(newZone),
    workerDomains: [],
    kvNamespaces: [],
    assets: emptyAccountAssets(),
  };
}

/** Fills in what a state.json written before account Workers, zones and KV existed lacks. */
function upgradeAccount(a: AccountRecord): void {
  a.scripts ??= {};
  a.workersDev ??= emptyWorkersDev();
  a.scriptHistory ??= {};
  a.zones ??= [];
  a.workerDomains ??= [];
  a.kvNamespaces ??= [];
  a.assets ??= emptyAccountAssets();
}

export class EmulatorState implements StateView {
  private data: PersistedState;

  constructor(
    private readonly opts: {
      /** Where changes are made durable (a data directory); none keeps the state in memory only. */
      journal?: StateJournal;
      seeds: AccountSeed[];
      defaultAccountId: string;
      defaultApiToken: string;
    },
  ) {
    const accounts = opts.journal?.loaded?.accounts ?? [];
    accounts.forEach(upgradeAccount);
    this.data = {
      version: STATE_VERSION,
      defaultAccountId: opts.defaultAccountId,
      defaultApiToken: opts.defaultApiToken,
      accounts,
    };
    this.ensureSeeds();
    this.persist({ now: true });
  }

  get defaultAccountId(): string {
    return this.data.defaultAccountId;
  }

  /** Live record (for route handlers); undefined if the account does not exist. */
  getAccount(accountId: string): AccountRecord | undefined {
    return this.data.accounts.find((a) => a.id === accountId);
  }

  allAccounts(): readonly AccountRecord[] {
    return this.data.accounts;
  }

  /** Live namespace record by name. */
  findNamespace(accountId: string, name: string): NamespaceRecord | undefined {
    return this.getAccount(accountId)?.dispatchNamespaces.find((n) => n.namespace_name === name);
  }

  /** Live account-level script container. */
  accountScriptContainer(accountId: string): ScriptContainer | undefined {
    return this.getAccount(accountId)?.scripts;
  }

  /** Live zone record by id, with its account. */
  findZone(zoneId: string): { account: AccountRecord; zone: ZoneRecord } | undefined {
    for (const account of this.data.accounts) {
      const zone = account.zones.find((z) => z.id === zoneId);
      if (zone) return { account, zone };
    }
    return undefined;
  }

  /**
   * Runs a change to the live records, then persists. Every write path goes through here; one that
   * answers someone awaits `written()` first. `scope.onlyScripts`: the scripts the change touches (by
   * name, in one container), when it touches no other script (the journal then looks at no other script
   * for what changed); leave it out when unsure, which only costs time.
   */
  mutate<T>(change: () => T, scope: { onlyScripts?: { container: ScriptContainer; names: readonly string[] } } = {}): T {
    const out = change();
    this.opts.journal?.record(this.data, scope.onlyScripts);
    return out;
  }

  /** Back to the configured accounts and zones, with nothing created through the API. */
  reset(): void {
    this.data.accounts = [];
    this.ensureSeeds();
    this.persist({ now: true });
  }

  // --- StateView (copies, so assertions cannot corrupt the emulator) -------------------------
  accounts(): AccountRecord[] {
    return structuredClone(this.data.accounts);
  }

  account(accountId: string): AccountRecord | undefined {
    const a = this.getAccount(accountId);
    return a && structuredClone(a);
  }

  namespaces(accountId: string = this.defaultAccountId): NamespaceRecord[] {
    return structuredClone(this.getAccount(accountId)?.dispatchNamespaces ?? []);
  }

  namespace(name: string, accountId: string = this.defaultAccountId): NamespaceRecord | undefined {
    const n = this.findNamespace(accountId, name);
    return n && structuredClone(n);
  }

  scripts(namespace: string, accountId: string = this.defaultAccountId): ScriptSnapshot[] {
    const ns = this.findNamespace(accountId, namespace);
    return ns ? scriptsByName(ns.scripts).map(scriptSnapshot) : [];
  }

  script(namespace: string, name: string, accountId: string = this.defaultAccountId): ScriptSnapshot | undefined {
    const ns = this.findNamespace(accountId, namespace);
    const s = ns && findScript(ns.scripts, name);
    return s && scriptSnapshot(s);
  }

  accountScripts(accountId: string = this.defaultAccountId): ScriptSnapshot[] {
    const container = this.accountScriptContainer(accountId);
    return container ? scriptsByName(container).map(scriptSnapshot) : [];
  }

  accountScript(name: string, accountId: string = this.defaultAccountId): ScriptSnapshot | undefined {
    const container = this.accountScriptContainer(accountId);
    const s = container && findScript(container, name);
    return s && scriptSnapshot(s);
  }

  workersDevSubdomain(accountId: string = this.defaultAccountId): string | null {
    return this.getAccount(accountId)?.workersDev.subdomain ?? null;
  }

  scriptSubdomain(name: string, accountId: string = this.defaultAccountId): ScriptSubdomain | undefined {
    const account = this.getAccount(accountId);
    return account && findScript(account.scripts, name) ? scriptSubdomain(account.workersDev, name) : undefined;
  }

  zones(accountId: string = this.defaultAccountId): ZoneSnapshot[] {
    return (this.getAccount(accountId)?.zones ?? []).map(({ routes: _routes, ...z }) => ({ ...z, account_id: accountId }));
  }

  routes(zoneId?: string): RouteSnapshot[] {
    let zones: ZoneRecord[] = this.getAccount(this.defaultAccountId)?.zones ?? [];
    if (zoneId !== undefined) {
      const hit = this.findZone(zoneId);
      zones = hit ? [hit.zone] : [];
    }
    return zones.flatMap((z) => z.routes.map((r) => ({ ...structuredClone(r), zone_id: z.id, zone_name: z.name })));
  }

  kvNamespaces(accountId: string = this.defaultAccountId): KvNamespaceRecord[] {
    return structuredClone(this.getAccount(accountId)?.kvNamespaces ?? []);
  }

  snapshot(): PersistedState {
    return structuredClone(this.data);
  }

  /** The whole state as the control endpoint shows it: no API token, no secret value. */
  publicSnapshot(): Omit<PersistedState, "defaultApiToken"> {
    const { defaultApiToken: _token, ...rest } = this.data;
    return withoutSecretValues(rest);
  }

  // --- persistence ---------------------------------------------------------------------------
  private ensureSeeds(): void {
    for (const seed of this.opts.seeds) {
      const account = this.getAccount(seed.id);
      if (!account) {
        this.data.accounts.push(newAccount(seed));
        continue;
      }
      // A persisted account gets newly configured zones; a configured id wins over a persisted one.
      for (const z of seed.zones ?? []) {
        const existing = account.zones.find((x) => x.name === z.name);
        if (!existing) account.zones.push(newZone(z));
        else existing.id = z.id;
      }
    }
  }

  /** With a data directory: the change is appended at the end of this turn, or `now`. */
  private persist(options: { now?: boolean } = {}): void {
    this.opts.journal?.record(this.data);
    if (options.now) this.opts.journal?.writeNow();
  }

  /** Resolves once every change so far is in the data directory's journal (at once without one). */
  written(): Promise<void> {
    return this.opts.journal?.written() ?? Promise.resolve();
  }
}
