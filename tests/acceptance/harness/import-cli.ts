/**
 * What the `import` command's specs share: a dispatcher made through Cloudflare's API, and the
 * installed command run as a user runs it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { installDir } from "./paths";

/** An account-level Worker routing each request to the tenant its host names, bound to `namespace` as TENANTS. */
export function dispatcherUpload(namespace: string): FormData {
  const form = new FormData();
  const metadata = {
    main_module: "router.js",
    compatibility_date: "2025-01-01",
    bindings: [{ name: "TENANTS", type: "dispatch_namespace", namespace }],
  };
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  const code =
    "export default { fetch(request, env) { return env.TENANTS.get(new URL(request.url).hostname.split('.')[0]).fetch(request); } };\n";
  form.append("router.js", new Blob([code], { type: "application/javascript+module" }), "router.js");
  return form;
}

/** `pulumi-cloudflare-wfp import <args>`, installed, in the project that installed the tarball. */
export async function runImport(env: Record<string, string>, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)("npx", ["--no-install", "pulumi-cloudflare-wfp", "import", ...args], {
    cwd: installDir,
    env: { ...process.env, ...env },
  });
}
