/**
 * Helpers for the namespace-script specs: build the multipart upload a correct client sends
 * (native FormData, metadata as a JSON Blob, modules as Files) and send it through the official
 * SDK with the workaround of SOURCES.md §3.4 (body = FormData, Content-Type left to fetch).
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";

export const ESM = "application/javascript+module";
export const CLASSIC = "application/javascript";

export const HELLO = `export default {\n  async fetch(request, env) {\n    return new Response("hello");\n  },\n};\n`;

export type ModuleSpec = string | { code: string | Uint8Array<ArrayBuffer>; type?: string; filename?: string; part?: string };

export interface FormOptions {
  /** How the metadata part is sent: a JSON file part (default), a plain text field, or a file named "metadata". */
  metadataAs?: "json-file" | "text-field" | "named-file";
}

/** A FormData with `metadata` and one File per module (part name = filename = module name unless overridden). */
export function workerForm(
  metadata: unknown,
  modules: Record<string, ModuleSpec> = { "index.js": HELLO },
  opts: FormOptions = {},
): FormData {
  const form = new FormData();
  const json = JSON.stringify(metadata);
  switch (opts.metadataAs ?? "json-file") {
    case "json-file":
      form.append("metadata", new Blob([json], { type: "application/json" }));
      break;
    case "text-field":
      form.append("metadata", json);
      break;
    case "named-file":
      form.append("metadata", new File([json], "metadata", { type: "application/json" }));
      break;
  }
  for (const [name, spec] of Object.entries(modules)) {
    const s = typeof spec === "string" ? { code: spec } : spec;
    form.append(s.part ?? name, new File([s.code], s.filename ?? name, { type: s.type ?? ESM }));
  }
  return form;
}

export interface Target {
  cf: Cloudflare;
  account_id: string;
  namespace: string;
}

/** Uploads through the typed SDK method with the FormData override; resolves to the unwrapped `result`. */
export function upload(t: Target, name: string, form: FormData, query: { bindings_inherit?: "strict" } = {}) {
  return t.cf.workersForPlatforms.dispatch.namespaces.scripts.update(
    name,
    { account_id: t.account_id, dispatch_namespace: t.namespace, metadata: {}, ...query },
    { body: form, headers: { "Content-Type": null } },
  );
}

/** Uploads a module Worker with `metadata` (main_module defaults to index.js) and modules. */
export function uploadModule(t: Target, name: string, metadata: Record<string, unknown> = {}, modules?: Record<string, ModuleSpec>) {
  return upload(t, name, workerForm({ main_module: "index.js", compatibility_date: "2024-09-23", ...metadata }, modules));
}

/** The script path relative to the SDK base URL. */
export function scriptPath(t: Target, name?: string, suffix = ""): string {
  return `/accounts/${t.account_id}/workers/dispatch/namespaces/${t.namespace}/scripts${name === undefined ? "" : `/${name}`}${suffix}`;
}

/** A raw `fetch` (not through the SDK) with the emulator's token; returns status and parsed JSON. */
export async function rawFetch(
  emu: Emulator,
  method: string,
  path: string,
  init: { body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    body: init.body,
    headers: { authorization: `Bearer ${emu.apiToken}`, ...init.headers },
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The entries of a FormData as [name, File | string] (the DOM lib in tsconfig has no FormData iterator). */
export function formEntries(form: FormData): Array<[string, FormDataEntryValue]> {
  const out: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, key) => out.push([key, value]));
  return out;
}

/** Today's date (UTC) shifted by `days`, as YYYY-MM-DD. */
export function isoDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The path of an account-level Worker (relative to the SDK base URL). */
export function accountScriptPath(account_id: string, name?: string, suffix = ""): string {
  return `/accounts/${account_id}/workers/scripts${name === undefined ? "" : `/${name}`}${suffix}`;
}

/** Uploads an account-level Worker as SOURCES.md §3.4 advises: `client.put(path, { body: FormData })`; resolves to `result`. */
export async function uploadAccountScript(cf: Cloudflare, account_id: string, name: string, form: FormData) {
  const res = await cf.put<{ result: Record<string, any> }>(accountScriptPath(account_id, name), { body: form });
  return res.result;
}
