/** Uploaded modules (Cloudflare multipart Content-Types) → what Miniflare and the Worker Loader take. */
import { serviceWorkerModules } from "./service-worker";
import type { RuntimeModule, RuntimeScript } from "./types";

export type ModuleKind = "esm" | "cjs" | "text" | "data" | "wasm" | "json" | "python" | "python-requirement" | "source-map";

const KINDS: Record<string, ModuleKind> = {
  "application/javascript+module": "esm",
  "text/javascript+module": "esm",
  "application/javascript": "cjs",
  "text/javascript": "cjs",
  "text/plain": "text",
  "application/octet-stream": "data",
  "application/wasm": "wasm",
  "application/json": "json",
  "text/x-python": "python",
  "text/x-python-requirement": "python-requirement",
  "application/source-map": "source-map",
};

function mediaType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

export function moduleKind(contentType: string): ModuleKind {
  const kind = KINDS[mediaType(contentType)];
  if (!kind) throw new Error(`module Content-Type '${contentType}' is not supported by the local runtime`);
  return kind;
}

/** Service-worker syntax: the entry is a classic script (`application/javascript` / `text/javascript`). */
export function isServiceWorker(script: RuntimeScript): boolean {
  return moduleKind(mainOf(script).contentType) === "cjs";
}

export function mainOf(script: RuntimeScript): RuntimeModule {
  const main = script.modules.find((m) => m.name === script.mainModule);
  if (!main) throw new Error(`main module '${script.mainModule}' is not among the uploaded modules`);
  return main;
}

/** Module names become paths inside workerd's module registry: no absolute paths, no `..`. */
export function checkModuleName(name: string): void {
  if (!name || name.startsWith("/") || name.split("/").includes("..") || name.includes("\\")) {
    throw new Error(`module name '${name}' cannot be loaded locally (absolute path or '..')`);
  }
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Root Miniflare resolves module paths against; nothing is read from disk (contents are given). */
export const VIRTUAL_MODULES_ROOT = "/wfp-runtime-modules";

export interface MiniflareModule {
  type: "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm" | "PythonModule" | "PythonRequirement";
  path: string;
  contents: string | Uint8Array;
}

/** ES-module (or Python) Worker → Miniflare `modules` (entry first; source maps skipped). */
export function miniflareModules(script: RuntimeScript): MiniflareModule[] {
  const main = mainOf(script);
  const ordered = [main, ...script.modules.filter((m) => m !== main)];
  const out: MiniflareModule[] = [];
  for (const m of ordered) {
    checkModuleName(m.name);
    const path = `${VIRTUAL_MODULES_ROOT}/${m.name}`;
    switch (moduleKind(m.contentType)) {
      case "esm":
        out.push({ type: "ESModule", path, contents: text(m.bytes) });
        break;
      case "cjs":
        out.push({ type: "CommonJS", path, contents: text(m.bytes) });
        break;
      case "text":
        out.push({ type: "Text", path, contents: text(m.bytes) });
        break;
      case "data":
        out.push({ type: "Data", path, contents: m.bytes });
        break;
      case "wasm":
        out.push({ type: "CompiledWasm", path, contents: m.bytes });
        break;
      case "json":
        out.push({ type: "ESModule", path, contents: `export default ${JSON.stringify(JSON.parse(text(m.bytes)))};` });
        break;
      case "python":
        out.push({ type: "PythonModule", path, contents: text(m.bytes) });
        break;
      case "python-requirement":
        out.push({ type: "PythonRequirement", path, contents: text(m.bytes) });
        break;
      case "source-map":
        break;
    }
  }
  return out;
}

/**
 * Worker Loader module map, JSON-safe for the trip Node → workerd: binary modules travel as base64
 * (`data64` / `wasm64`) and the internal worker turns them into ArrayBuffers (`data` / `wasm`).
 */
export type LoaderModule =
  { js: string } | { cjs: string } | { text: string } | { json: unknown } | { py: string } | { data64: string } | { wasm64: string };

/** What the Worker Loader runs for `script`: its entry and modules (a service-worker script is wrapped). */
export function loaderCode(script: RuntimeScript): { mainModule: string; modules: Record<string, LoaderModule> } {
  if (isServiceWorker(script)) {
    const main = mainOf(script);
    checkModuleName(main.name);
    return serviceWorkerModules(main.name, text(main.bytes));
  }
  return { mainModule: script.mainModule, modules: loaderModules(script) };
}

function loaderModules(script: RuntimeScript): Record<string, LoaderModule> {
  const out: Record<string, LoaderModule> = {};
  for (const m of script.modules) {
    checkModuleName(m.name);
    const b64 = () => Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength).toString("base64");
    switch (moduleKind(m.contentType)) {
      case "esm":
        out[m.name] = { js: text(m.bytes) };
        break;
      case "cjs":
        out[m.name] = { cjs: text(m.bytes) };
        break;
      case "text":
        out[m.name] = { text: text(m.bytes) };
        break;
      case "json":
        out[m.name] = { json: JSON.parse(text(m.bytes)) };
        break;
      case "data":
        out[m.name] = { data64: b64() };
        break;
      case "wasm":
        out[m.name] = { wasm64: b64() };
        break;
      case "python":
        out[m.name] = { py: text(m.bytes) };
        break;
      case "python-requirement":
        throw new Error("Python requirements are not supported for namespaced scripts by the local runtime");
      case "source-map":
        break;
    }
  }
  return out;
}
