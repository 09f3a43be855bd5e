/** An in-memory RuntimeSource for runtime tests: edit it and the runtime sees the change on the next request. */
import { createHash } from "node:crypto";
import type { RuntimeKv, RuntimeRoute, RuntimeScript, RuntimeSource } from "../../emulator/runtime";

export interface ScriptInput {
  /** ES module source of the main module (`worker.js`). */
  code: string;
  bindings?: Array<Record<string, unknown>>;
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  /** Extra modules: name → [contentType, text]. */
  modules?: Record<string, [string, string]>;
  /** Content-Type of the main module (default ES module). */
  mainContentType?: string;
}

export function script(name: string, input: ScriptInput): RuntimeScript {
  const enc = new TextEncoder();
  const modules = [
    { name: "worker.js", contentType: input.mainContentType ?? "application/javascript+module", bytes: enc.encode(input.code) },
    ...Object.entries(input.modules ?? {}).map(([n, [contentType, text]]) => ({ name: n, contentType, bytes: enc.encode(text) })),
  ];
  const etag = createHash("sha256")
    .update(JSON.stringify(modules.map((m) => [m.name, m.contentType, Buffer.from(m.bytes).toString("base64")])))
    .digest("hex");
  return {
    name,
    etag,
    mainModule: "worker.js",
    modules,
    bindings: input.bindings ?? [],
    compatibilityDate: input.compatibilityDate ?? "2025-01-01",
    compatibilityFlags: input.compatibilityFlags ?? [],
  };
}

export class FakeSource implements RuntimeSource {
  readonly account = new Map<string, RuntimeScript>();
  readonly namespaces = new Map<string, Map<string, RuntimeScript>>();
  routeList: RuntimeRoute[] = [];
  dev: { subdomain?: string; enabledScripts: string[] } = { enabledScripts: [] };
  kv?: RuntimeKv;

  putAccount(name: string, input: ScriptInput): RuntimeScript {
    const s = script(name, input);
    this.account.set(name, s);
    return s;
  }
  putTenant(namespace: string, name: string, input: ScriptInput): RuntimeScript {
    const s = script(name, input);
    if (!this.namespaces.has(namespace)) this.namespaces.set(namespace, new Map());
    this.namespaces.get(namespace)!.set(name, s);
    return s;
  }
  deleteTenant(namespace: string, name: string): void {
    this.namespaces.get(namespace)?.delete(name);
  }

  accountScript(name: string) {
    return this.account.get(name);
  }
  accountScripts() {
    return [...this.account.values()];
  }
  namespaceScript(namespace: string, name: string) {
    return this.namespaces.get(namespace)?.get(name);
  }
  routes() {
    return this.routeList;
  }
  workersDev() {
    return this.dev;
  }
}
