/**
 * The emulator with `--data`, killed with SIGKILL while it answers writes (no shutdown code runs, as when
 * the process crashes or is killed by a supervisor): after a restart on the same directory every write it
 * answered is there, the writes still in flight are either done or not done, and the store loads.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";

jest.setTimeout(120_000);

const NS = "tenants";
const TENANTS = 48;
/** Answers to wait for before the kill: about half, so that more are still on the wire. */
const KILL_AFTER = 20;
const IN_FLIGHT = 8;
const name = (i: number) => `tenant-${String(i).padStart(2, "0")}`;

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-kill-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A tenant upload whose plain-text binding VARIANT names the version. */
function upload(emu: EmulatorProcess, i: number, variant: string): Promise<unknown> {
  const form = new FormData();
  const metadata = { main_module: "index.js", bindings: [{ type: "plain_text", name: "VARIANT", text: variant }] };
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  const code = `export default { fetch() { return new Response("ok"); } };\n`;
  form.append("index.js", new File([code], "index.js", { type: "application/javascript+module" }));
  return emu.api("PUT", `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/${name(i)}`, form);
}

const remove = (emu: EmulatorProcess, i: number) =>
  emu.api("DELETE", `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/${name(i)}`);

/** Each tenant's VARIANT as the emulator holds it ("deleted" when the tenant is gone). */
async function variants(emu: EmulatorProcess): Promise<Map<string, string>> {
  const ns = (await emu.account()).dispatchNamespaces.find((n) => n.namespace_name === NS)!;
  const out = new Map<string, string>();
  for (let i = 0; i < TENANTS; i++) {
    const script = ns.scripts[name(i)];
    const binding = script?.bindings.find((b) => b.name === "VARIANT");
    out.set(name(i), script ? String(binding && "text" in binding ? binding.text : "none") : "deleted");
  }
  return out;
}

it("keeps every write it answered before a SIGKILL, and loads after it", async () => {
  const first = await EmulatorProcess.startWithData(dir);
  await first.api("POST", `/accounts/${first.accountId}/workers/dispatch/namespaces`, { name: NS });
  for (let i = 0; i < TENANTS; i++) await upload(first, i, "v1");

  // Every third tenant deleted, the others changed, IN_FLIGHT at a time; killed right after an answer.
  const intended = (i: number) => (i % 3 === 0 ? "deleted" : "v2");
  const answered = new Map<string, string>();
  let killed: Promise<void> | undefined;
  let next = 0;
  const worker = async () => {
    while (next < TENANTS && !killed) {
      const i = next++;
      try {
        await (intended(i) === "deleted" ? remove(first, i) : upload(first, i, "v2"));
      } catch {
        continue; // on the wire when the process died: no answer, no promise made
      }
      answered.set(name(i), intended(i));
      if (answered.size === KILL_AFTER) killed = first.kill();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await killed;
  expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(answered.size).toBeLessThan(TENANTS);

  const second = await EmulatorProcess.startWithData(dir);
  try {
    expect(second.accountId).toBe(first.accountId);
    const held = await variants(second);
    for (const [tenant, variant] of answered) expect([tenant, held.get(tenant)]).toEqual([tenant, variant]);
    for (let i = 0; i < TENANTS; i++) {
      if (!answered.has(name(i))) expect(["v1", intended(i)]).toContain(held.get(name(i)));
    }
    // The store takes writes again after the kill, and keeps them across a clean restart.
    await upload(second, 0, "v3");
  } finally {
    await second.stop();
  }
  const third = await EmulatorProcess.startWithData(dir);
  try {
    expect((await variants(third)).get(name(0))).toBe("v3");
  } finally {
    await third.stop();
  }
});
