/**
 * Turns a worker's code into the modules Cloudflare's upload takes: an inline ES-module script as-is,
 * or an entrypoint bundled with esbuild for the Workers runtime (ES modules; `cloudflare:*` imports,
 * and `node:*` ones under nodejs_compat, left to the runtime; WebAssembly kept as separate modules,
 * since workers may not compile Wasm from bytes; text and data files inlined; a linked source map
 * uploaded alongside). The content hash covers the code modules only, so it changes exactly when
 * what runs changes: `diff` compares it, and state keeps it instead of the bundle.
 */
import { createHash } from "node:crypto";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { BoundedMemo } from "../framework/memo";

export interface WorkerModule {
  /** The module's name in the upload; imports between modules use it. */
  name: string;
  content: Uint8Array;
  /** Cloudflare's module content type, e.g. `application/javascript+module`. */
  contentType: string;
}

export interface WorkerBundle {
  mainModule: string;
  modules: WorkerModule[];
  /** sha256 of the code modules (names, types, bytes): what `diff` compares. */
  contentHash: string;
  /** The files a bundle was built from (absolute paths), so a cache can tell when it is stale. */
  sources?: string[];
}

export const MODULE_TYPES = {
  esm: "application/javascript+module",
  wasm: "application/wasm",
  sourceMap: "application/source-map",
} as const;

export class BundleError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = "BundleError";
  }
}

export function hashModules(modules: WorkerModule[]): string {
  const hash = createHash("sha256");
  for (const m of modules) {
    if (m.contentType === MODULE_TYPES.sourceMap) continue;
    hash.update(`${m.name}\0${m.contentType}\0${m.content.byteLength}\0`).update(m.content);
  }
  return hash.digest("hex");
}

/** An inline script: one ES module named `index.js`. */
export function inlineScript(content: string): WorkerBundle {
  const modules = [{ name: "index.js", content: Buffer.from(content, "utf8"), contentType: MODULE_TYPES.esm }];
  return { mainModule: "index.js", modules, contentHash: hashModules(modules) };
}

const MAX_CHECKED_INLINE = 1024;

/** esbuild's verdict per inline text (its sha256) already checked: many tenants often share one text. */
export type InlineVerdicts = BoundedMemo<string, string | undefined>;

/** An empty memo of verdicts, for a provider context (../caches.ts). */
export function inlineVerdicts(): InlineVerdicts {
  return new BoundedMemo(MAX_CHECKED_INLINE);
}

/**
 * Refuses inline `content` that is not a syntactically valid ES module, at `check` (so at preview),
 * naming the line and column: uploaded, it would be accepted and then fail every request. esbuild
 * parses it as the runtime will (an ES module, so `import`/`export` and top-level await are allowed).
 */
export async function checkInlineModule(verdicts: InlineVerdicts, content: string): Promise<void> {
  const key = createHash("sha256").update(content).digest("hex");
  if (!verdicts.has(key)) {
    const esbuild = await import("esbuild");
    let problem: string | undefined;
    try {
      await esbuild.transform(content, { loader: "js", format: "esm", target: "esnext", logLevel: "silent" });
    } catch (error) {
      const failure = error as { errors?: import("esbuild").Message[] };
      const messages = (failure.errors ?? []).map((m) =>
        m.location ? `line ${m.location.line}, column ${m.location.column + 1}: ${m.text}` : m.text,
      );
      problem = `content is not a valid ES module: ${messages.join("; ") || String(error)}`;
    }
    verdicts.set(key, problem);
  }
  const problem = verdicts.get(key);
  if (problem) throw new BundleError("content", problem);
}

export interface BundleOptions {
  /** With nodejs_compat, `node:*` and Node built-ins resolve in the runtime, not the bundle. */
  nodejsCompat: boolean;
  /** Relative entrypoints resolve from here (the Pulumi project directory). */
  baseDir: string;
}

/** Bundles an entrypoint with esbuild; build errors become a BundleError naming `entrypoint`. */
export async function bundleEntrypoint(entrypoint: string, options: BundleOptions): Promise<WorkerBundle> {
  const esbuild = await import("esbuild");
  const entry = path.resolve(options.baseDir, entrypoint);
  const external = ["cloudflare:*"];
  if (options.nodejsCompat) external.push("node:*", ...builtinModules);
  let result: import("esbuild").BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: { index: entry },
      bundle: true,
      write: false,
      metafile: true,
      outdir: "/bundle",
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      external,
      loader: { ".wasm": "copy", ".txt": "text", ".html": "text", ".bin": "binary" },
      assetNames: "[name]-[hash]",
      sourcemap: "linked",
      sourcesContent: true,
      logLevel: "silent",
      absWorkingDir: options.baseDir,
    });
  } catch (error) {
    const failure = error as { errors?: import("esbuild").Message[] };
    const messages = (failure.errors ?? []).map((m) =>
      m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text,
    );
    throw new BundleError("entrypoint", `bundling ${entrypoint} failed: ${messages.join("; ") || String(error)}`);
  }
  const modules: WorkerModule[] = result.outputFiles.map((file) => {
    const name = path.relative("/bundle", file.path);
    const contentType = name.endsWith(".map") ? MODULE_TYPES.sourceMap : name.endsWith(".wasm") ? MODULE_TYPES.wasm : MODULE_TYPES.esm;
    return { name, content: file.contents, contentType };
  });
  // The main module first: Cloudflare reads the entry from metadata, people read it from the top.
  modules.sort((a, b) => Number(b.name === "index.js") - Number(a.name === "index.js"));
  const sources = Object.keys(result.metafile.inputs).map((input) => path.resolve(options.baseDir, input));
  return { mainModule: "index.js", modules, contentHash: hashModules(modules), sources };
}
