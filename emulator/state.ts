/**
 * The emulator's data model — accounts → dispatch namespaces → scripts (user Workers) — and its
 * persistence. With a data directory, state is loaded from `<dir>/state.json` at start and written
 * atomically (temp file + rename) after every mutation, so a restarted emulator (or one killed
 * mid-test) never sees a half-written file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cfTimestamp } from "./ids";
import { findScript, scriptsByName } from "./workers/store";
import type { ModuleRecord, PartRecord, ScriptRecord } from "./workers/types";

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
}

export interface AccountSeed {
  id: string;
  name: string;
}

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
  snapshot(): PersistedState;
}

/** Reads `<dataDir>/state.json`; undefined if absent. Throws a clear error if it is corrupt. */
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
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot load emulator state from ${file}: ${(err as Error).message}`);
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
  };
}

export class EmulatorState implements StateView {
  private data: PersistedState;
  private tmpCounter = 0;

  constructor(
    private readonly opts: {
      dataDir?: string;
      seeds: AccountSeed[];
      defaultAccountId: string;
      defaultApiToken: string;
      persisted?: PersistedState;
    },
  ) {
    const accounts = opts.persisted ? opts.persisted.accounts : [];
    this.data = {
      version: STATE_VERSION,
      defaultAccountId: opts.defaultAccountId,
      defaultApiToken: opts.defaultApiToken,
      accounts,
    };
    this.ensureSeeds();
    this.persist();
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

  /** Runs a change to the live records, then persists. Every write path goes through here. */
  mutate<T>(change: () => T): T {
    const out = change();
    this.persist();
    return out;
  }

  /** Back to the configured accounts with no namespaces. */
  reset(): void {
    this.data.accounts = [];
    this.ensureSeeds();
    this.persist();
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

  snapshot(): PersistedState {
    return structuredClone(this.data);
  }

  // --- persistence ---------------------------------------------------------------------------
  private ensureSeeds(): void {
    for (const seed of this.opts.seeds) {
      if (!this.getAccount(seed.id)) this.data.accounts.push(newAccount(seed));
    }
  }

  /** Atomic write: a reader (or a restart after a crash) sees the old file or the new one, never a mix. */
  private persist(): void {
    const dir = this.opts.dataDir;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, STATE_FILE);
    const tmp = `${file}.${process.pid}.${++this.tmpCounter}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeFileSync(fd, JSON.stringify(this.data, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }
}
