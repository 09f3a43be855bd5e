/**
 * Code bodies stored once, by content. Tenants of a Workers for Platforms fleet mostly run the same code
 * (one bundle, configured per tenant by its bindings), so a script unit holds its modules' bodies by
 * reference: a module (and the upload part that carried the same bytes) keeps its `sha256` and loses its
 * `content_base64`, which the journal holds once in a body unit (units.ts `bodyKey`). A body is written
 * with the first script that refers to it and removed with the last; a change of shared code then writes
 * the new body once and each tenant's record without it.
 *
 * The bytes' sha256 is the one the upload computed (workers/upload.ts); the metadata part, which differs
 * per tenant, stays inline. Script units written before bodies were stored apart hold their bytes inline
 * and load as they are.
 */
import type { ModuleRecord, PartRecord, ScriptRecord } from "../workers/types";
import { bodyKey, bodyOfKey, isScriptKey } from "./units";

type StoredModule = Omit<ModuleRecord, "content_base64"> & { content_base64?: string };
type StoredPart = Omit<PartRecord, "content_base64"> & { content_base64?: string };

/** A script record as the journal stores it: the code bodies as references (`sha256` without `content_base64`). */
type StoredScript = Omit<ScriptRecord, "modules" | "parts"> & { modules: StoredModule[]; parts?: StoredPart[] };

/** A body unit to write (`base64`) or to remove (`base64` undefined). */
export interface BodyChange {
  key: string;
  base64?: string;
}

export class StoredBodies {
  /** sha256 → how many stored references (a module or part of a script unit) name it. */
  private readonly refs = new Map<string, number>();
  /** Script unit key → the bodies its stored record names. */
  private readonly namedBy = new Map<string, string[]>();
  /** The bodies whose reference counts moved since the last `settle`. */
  private touched: string[] = [];

  /**
   * Restores the bodies of the script units read from a journal (in place) and takes note of what they
   * name; body units leave the map (they are not state). Throws when a script names a body not stored.
   */
  static restore(units: Map<string, unknown>): StoredBodies {
    const bodies = new Map<string, string>();
    for (const [key, value] of units) {
      const sha = bodyOfKey(key);
      if (sha === undefined) continue;
      bodies.set(sha, value as string);
      units.delete(key);
    }
    const stored = new StoredBodies();
    for (const [key, value] of units) {
      if (!isScriptKey(key)) continue;
      const record = value as StoredScript;
      const named: string[] = [];
      for (const item of [...record.modules, ...(record.parts ?? [])]) {
        if (item.content_base64 !== undefined) continue;
        const base64 = bodies.get(item.sha256);
        if (base64 === undefined) throw new Error(`script ${record.name} names code body ${item.sha256}, which the journal does not hold`);
        item.content_base64 = base64;
        named.push(item.sha256);
      }
      stored.take(key, named);
    }
    stored.touched = [];
    return stored;
  }

  /** The stored form of a script unit about to be written (the live record is not changed); `bodies` collects what it carries. */
  store(key: string, record: ScriptRecord, bodies: Map<string, string>): StoredScript {
    const code = new Set(record.modules.map((m) => m.sha256));
    const named: string[] = [];
    const apart = <T extends ModuleRecord | PartRecord>(item: T): Omit<T, "content_base64"> | T => {
      if (!code.has(item.sha256)) return item;
      const { content_base64, ...rest } = item;
      bodies.set(item.sha256, content_base64);
      named.push(item.sha256);
      return rest;
    };
    const stored: StoredScript = { ...record, modules: record.modules.map(apart) };
    if (record.parts) stored.parts = record.parts.map(apart);
    this.take(key, named);
    return stored;
  }

  /** A unit removed (or rewritten without bodies): its references go. */
  drop(key: string): void {
    this.take(key, []);
  }

  /**
   * The body units a write must add or remove once its units were stored or dropped: bodies whose first
   * reference it made (their bytes from `bodies`, which `store` filled) and bodies it left without one.
   */
  settle(bodies: ReadonlyMap<string, string>, isStored: (key: string) => boolean): BodyChange[] {
    const changes: BodyChange[] = [];
    for (const sha of new Set(this.touched.splice(0))) {
      const key = bodyKey(sha);
      const referenced = this.refs.has(sha);
      if (referenced && !isStored(key)) changes.push({ key, base64: bodies.get(sha)! });
      else if (!referenced && isStored(key)) changes.push({ key });
    }
    return changes;
  }

  private take(key: string, named: string[]): void {
    const before = this.namedBy.get(key) ?? [];
    for (const sha of named) this.refs.set(sha, (this.refs.get(sha) ?? 0) + 1);
    for (const sha of before) {
      const count = this.refs.get(sha)! - 1;
      if (count > 0) this.refs.set(sha, count);
      else this.refs.delete(sha);
    }
    if (named.length > 0) this.namedBy.set(key, named);
    else this.namedBy.delete(key);
    this.touched.push(...named, ...before);
  }
}
