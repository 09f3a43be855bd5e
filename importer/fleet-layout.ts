/**
 * How `import --fleet` arranges a namespace's scripts: which become tenants of one `TenantFleet`,
 * which stay `NamespacedWorkerScript`s beside it (and why), each distinct code once, and what every
 * tenant shares (`defaults`). Pure: the writer renders the result.
 *
 * A tenant is merged over `defaults` field by field (a tenant's field wins whole, bindings name by
 * name: sdk/tenant-fleet.ts), so only what every tenant has identically is factored out: a tenant
 * never inherits a value it does not have.
 */
import { createHash } from "node:crypto";
import { canonical } from "../provider/framework/canonical-json";
import type { BindingSpec } from "../provider/workers/bindings";
import type { ImportedScript } from "./model";

/** A script declared on its own beside the fleet, and why the fleet does not take it. */
export interface StandaloneScript {
  script: ImportedScript;
  reasons: string[];
}

/** One distinct code (the same entry module and modules, byte for byte), written once. */
export interface SharedCode {
  /** The folder its modules are written to, relative to the project. */
  folder: string;
  /** A script that has this code (all of them have the same modules). */
  script: ImportedScript;
  /** The tenants that run it, in name order. */
  tenants: string[];
}

export interface FleetLayout {
  /** The fleet's tenants, in name order. */
  tenants: ImportedScript[];
  standalone: StandaloneScript[];
  /** Each distinct code of the tenants; the one `defaults` names first. */
  codes: SharedCode[];
  /** Tenant name → the folder of its code. */
  codeFolder: Map<string, string>;
  /** The folder of the code `defaults` names: the code most tenants share, when at least two do. */
  defaultCode?: string;
  /** Configuration keys (bindings aside) every tenant has with the same value. */
  sharedConfig: Record<string, unknown>;
  /** Bindings every tenant has, of the same name and value. */
  sharedBindings: Record<string, BindingSpec>;
}

/**
 * Why a script cannot be a fleet tenant yet; none when it can. The fleet's tenants take neither
 * static assets nor Durable Object migrations, and a fleet adopts an existing script without an
 * upload only when it has no secrets (provider/fleet/adopt.ts: Cloudflare never returns their
 * values), whereas a NamespacedWorkerScript's import takes a declared secret to hold the value the
 * script has. Such scripts stay standalone, so the first `up` still writes nothing.
 */
export function whyNotATenant(script: ImportedScript): string[] {
  const reasons: string[] = [];
  if (script.hasAssets) reasons.push("it has static assets, which a TenantFleet tenant does not take yet");
  if (script.migrationTag !== undefined)
    reasons.push(`it has Durable Object migrations (tag '${script.migrationTag}'), which a TenantFleet tenant does not take yet`);
  const secrets = Object.keys(script.config.secretBindings ?? {});
  if (secrets.length > 0) {
    reasons.push(
      `it has secret bindings (${secrets.join(", ")}): a TenantFleet uploads a tenant with secrets at its first \`up\`, as Cloudflare never returns their values to compare, where this resource's import writes nothing`,
    );
  }
  return reasons;
}

/** The code's identity: entry module, then each module's name, type and bytes. */
function codeKey(script: ImportedScript): string {
  const hash = createHash("sha256").update(script.mainModule).update("\0");
  for (const m of [...script.modules].sort((a, b) => a.name.localeCompare(b.name)))
    hash.update(m.name).update("\0").update(m.contentType).update("\0").update(m.content).update("\0");
  return hash.digest("hex");
}

/** Values every tenant has under `key` of `pick`, when all are present and equal. */
function sharedEntries<T>(tenants: ImportedScript[], pick: (s: ImportedScript) => Record<string, T> | undefined): Record<string, T> {
  if (tenants.length < 2) return {};
  const [first, ...rest] = tenants.map((t) => pick(t) ?? {});
  return Object.fromEntries(
    Object.entries(first).filter(
      ([key, value]) =>
        value !== undefined && rest.every((other) => other[key] !== undefined && canonical(other[key]) === canonical(value)),
    ),
  );
}

export function fleetLayout(scripts: ImportedScript[]): FleetLayout {
  const tenants: ImportedScript[] = [];
  const standalone: StandaloneScript[] = [];
  for (const script of scripts) {
    const reasons = whyNotATenant(script);
    if (reasons.length > 0) standalone.push({ script, reasons });
    else tenants.push(script);
  }

  const byCode = new Map<string, { script: ImportedScript; tenants: string[] }>();
  for (const t of tenants) {
    const key = codeKey(t);
    const group = byCode.get(key) ?? byCode.set(key, { script: t, tenants: [] }).get(key)!;
    group.tenants.push(t.scriptName);
  }
  // Most shared first (then by first tenant): shared/code-1 is the one most tenants run.
  const groups = [...byCode.values()].sort((a, b) => b.tenants.length - a.tenants.length || a.tenants[0].localeCompare(b.tenants[0]));
  let shared = 0;
  const codes: SharedCode[] = groups.map((g) => ({
    ...g,
    folder: g.tenants.length > 1 ? `shared/code-${++shared}` : `workers/${g.tenants[0]}`,
  }));
  const codeFolder = new Map(codes.flatMap((c) => c.tenants.map((t) => [t, c.folder] as const)));
  const defaultCode = codes.length > 0 && codes[0].tenants.length > 1 ? codes[0].folder : undefined;

  const sharedConfig = sharedEntries(tenants, (t) => {
    const { bindings: _b, secretBindings: _s, ...rest } = t.config as Record<string, unknown>;
    return rest;
  });
  const sharedBindings = sharedEntries(tenants, (t) => t.config.bindings);
  return { tenants, standalone, codes, codeFolder, defaultCode, sharedConfig, sharedBindings };
}
