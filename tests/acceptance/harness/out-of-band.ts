/**
 * Changes made outside Pulumi, through Cloudflare's v4 endpoints as any other client (a dashboard,
 * wrangler, a script) makes them: what `pulumi refresh` must notice and `pulumi up` must undo.
 */
import type { EmulatorProcess } from "./emulator-process";

export const namespacedScriptPath = (emu: EmulatorProcess, namespace: string, script: string) =>
  `/accounts/${emu.accountId}/workers/dispatch/namespaces/${namespace}/scripts/${script}`;
export const accountScriptPath = (emu: EmulatorProcess, script: string) => `/accounts/${emu.accountId}/workers/scripts/${script}`;

/** `PATCH …/settings`: one multipart part named `settings` holding JSON, as Cloudflare documents it. */
export async function patchSettings(emu: EmulatorProcess, scriptPath: string, settings: Record<string, unknown>): Promise<void> {
  const form = new FormData();
  form.append("settings", new Blob([JSON.stringify(settings)], { type: "application/json" }));
  await emu.api("PATCH", `${scriptPath}/settings`, form);
}

type ApiBinding = { name: string; type: string; [field: string]: unknown };

/**
 * The script's bindings as the API shows them, rewritten by `change`; secrets (which the API never
 * returns) are kept with the `inherit` type, as a client that does not know them must do.
 */
export async function editBindings(
  emu: EmulatorProcess,
  scriptPath: string,
  change: (bindings: ApiBinding[]) => ApiBinding[],
): Promise<void> {
  const current = await emu.api<{ bindings: ApiBinding[] }>("GET", `${scriptPath}/settings`);
  const kept = current.bindings.map((b) => (b.type === "secret_text" ? { name: b.name, type: "inherit" } : b));
  await patchSettings(emu, scriptPath, { bindings: change(kept) });
}

/** Deletes every Worker route of the account's zones (a route removed in the dashboard). */
export async function deleteRoutes(emu: EmulatorProcess): Promise<number> {
  const zones = await emu.api<{ id: string }[]>("GET", `/zones?account.id=${emu.accountId}`);
  let deleted = 0;
  for (const zone of zones) {
    for (const route of await emu.api<{ id: string }[]>("GET", `/zones/${zone.id}/workers/routes`)) {
      await emu.api("DELETE", `/zones/${zone.id}/workers/routes/${route.id}`);
      deleted++;
    }
  }
  return deleted;
}

/** A Worker upload as wrangler sends it: `metadata` JSON and one ES module. */
export async function uploadScript(
  emu: EmulatorProcess,
  scriptPath: string,
  code: string,
  metadata: Record<string, unknown>,
): Promise<void> {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "worker.js", ...metadata })], { type: "application/json" }));
  form.append("worker.js", new Blob([code], { type: "application/javascript+module" }), "worker.js");
  await emu.api("PUT", scriptPath, form);
}
