/**
 * Code uploaded as it is, without esbuild (`bundle: false`): the entrypoint's directory holds the
 * Worker's modules, each file one module named by its path relative to that directory (so imports
 * between them resolve as they do on disk), the entrypoint the main module. The module type comes
 * from the file's extension, as wrangler's no-bundle module rules decide it; the content types are
 * the module types of Cloudflare's upload (the SDK's `ScriptUpdateParams` file docs and wrangler's
 * create-worker-upload-form.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BundleError, type WorkerBundle, type WorkerModule, hashModules } from "./bundle";

/** File extension → module content type; a file with another extension cannot be a module. */
export const MODULE_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ".js": "application/javascript+module",
  ".mjs": "application/javascript+module",
  ".cjs": "application/javascript",
  ".py": "text/x-python",
  ".wasm": "application/wasm",
  ".txt": "text/plain",
  ".html": "text/plain",
  ".bin": "application/octet-stream",
  ".map": "application/source-map",
};

/** The extension a module of this content type is written with (the first one listed for it). */
export function extensionFor(contentType: string): string | undefined {
  return Object.entries(MODULE_TYPE_BY_EXTENSION).find(([, type]) => type === contentType)?.[0];
}

/** Whether a module named `name` with `contentType` is uploaded again as exactly that by `bundle: false`. */
export function isRepresentable(name: string, contentType: string): boolean {
  return MODULE_TYPE_BY_EXTENSION[path.extname(name).toLowerCase()] === contentType;
}

function filesUnder(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith("."))
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** The entrypoint's directory as modules, main module first; a file that cannot be a module fails, naming it. */
export function unbundledModules(entrypoint: string, baseDir: string): WorkerBundle {
  const entry = path.resolve(baseDir, entrypoint);
  const dir = path.dirname(entry);
  if (!fs.existsSync(entry)) throw new BundleError("entrypoint", `entrypoint ${entrypoint} does not exist`);
  const mainModule = path.basename(entry);
  const modules: WorkerModule[] = [];
  for (const name of filesUnder(dir)) {
    const contentType = MODULE_TYPE_BY_EXTENSION[path.extname(name).toLowerCase()];
    if (contentType === undefined) {
      throw new BundleError(
        "entrypoint",
        `with bundle: false every file beside the entrypoint is a module, and ${path.join(path.dirname(entrypoint), name)} has no module type (extensions: ${Object.keys(MODULE_TYPE_BY_EXTENSION).join(", ")})`,
      );
    }
    modules.push({ name, contentType, content: fs.readFileSync(path.join(dir, name)) });
  }
  modules.sort((a, b) => Number(b.name === mainModule) - Number(a.name === mainModule));
  return { mainModule, modules, contentHash: hashModules(modules), sources: modules.map((m) => path.join(dir, m.name)) };
}
