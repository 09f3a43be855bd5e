/**
 * Durable Object migrations on the emulator's edge (SOURCES.md §3.8): a renamed class keeps its objects and
 * their storage ("Rename migration"), a deleted class loses them, so a later class of the same name starts
 * empty ("Delete migration"). Both for a tenant in a dispatch namespace and for the dispatcher's own class,
 * and for state kept before the emulator tracked namespaces.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultZoneId, startEmulator, type EmulatorOptions } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { JOURNAL_FILE } from "../../emulator/persistence/journal-file";
import { readStoredState } from "../../emulator/persistence/state-journal";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";

/** A tenant whose class `className` counts per name, or a plain Worker when `className` is undefined. */
const tenantCode = (className: string | undefined) =>
  className === undefined
    ? `export default { fetch() { return new Response("no counter"); } };`
    : `
import { DurableObject } from "cloudflare:workers";
export class ${className} extends DurableObject {
  async increment() {
    const next = ((await this.ctx.storage.get("count")) ?? 0) + 1;
    await this.ctx.storage.put("count", next);
    return next;
  }
}
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    return Response.json({ className: ${JSON.stringify(className)}, count: await env.COUNTER.getByName(name).increment() });
  },
};`;

/** The dispatcher: `/own` counts in its own class `className`, any other path goes to tenant `counter`. */
const dispatcherCode = (className: string) => `
import { DurableObject } from "cloudflare:workers";
export class ${className} extends DurableObject {
  async add() {
    const next = ((await this.ctx.storage.get("hits")) ?? 0) + 1;
    await this.ctx.storage.put("hits", next);
    return next;
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/own") return Response.json({ className: ${JSON.stringify(className)}, count: await env.OWN.getByName("all").add() });
    return env.TENANTS.get("counter").fetch(request);
  },
};`;

jest.setTimeout(120_000);

const HOST = "platform.example.com";
const form = (metadata: Record<string, unknown>, code: string) =>
  workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }, { "index.js": code });

/** An emulator with its edge, a `tenants` namespace and a dispatcher on HOST. */
async function platform(options: Partial<EmulatorOptions> = {}) {
  const emu = await startEmulator({ ...options, edge: { onLog: () => undefined, onWarning: () => undefined } });
  const cf = sdk(emu);
  const account_id = emu.accountId;
  const uploadTenant = (className: string | undefined, migrations: unknown) =>
    cf.put(`/accounts/${account_id}/workers/dispatch/namespaces/tenants/scripts/counter`, {
      body: form(
        { bindings: className ? [{ type: "durable_object_namespace", name: "COUNTER", class_name: className }] : [], migrations },
        tenantCode(className),
      ),
    });
  const uploadDispatcher = (className: string, migrations: unknown) =>
    cf.put(`/accounts/${account_id}/workers/scripts/dispatcher`, {
      body: form(
        {
          bindings: [
            { type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" },
            { type: "durable_object_namespace", name: "OWN", class_name: className },
          ],
          migrations,
        },
        dispatcherCode(className),
      ),
    });
  const count = async (p: string): Promise<{ className: string; count: number }> =>
    JSON.parse((await edgeRequest(emu.edge!, HOST, p)).text);
  const counts = async (p: string, times: number) => {
    const out = [];
    for (let i = 0; i < times; i++) out.push(await count(p));
    return out;
  };
  return { emu, cf, account_id, uploadTenant, uploadDispatcher, count, counts };
}

async function withDispatcherOnHost(p: Awaited<ReturnType<typeof platform>>) {
  await p.uploadDispatcher("Hits", { new_tag: "v1", new_sqlite_classes: ["Hits"] });
  await p.cf.workers.domains.update({
    account_id: p.account_id,
    hostname: HOST,
    service: "dispatcher",
    zone_id: defaultZoneId(p.account_id, "example.com"),
  });
}

describe("a Durable Object class through migrations, on the edge", () => {
  let p: Awaited<ReturnType<typeof platform>>;

  beforeAll(async () => {
    p = await platform();
    await p.cf.workersForPlatforms.dispatch.namespaces.create({ account_id: p.account_id, name: "tenants" });
    await withDispatcherOnHost(p);
  });
  afterAll(() => p?.emu.close());

  it("a tenant's renamed class keeps counting on the objects of the old one", async () => {
    await p.uploadTenant("Counter", { new_tag: "v1", new_sqlite_classes: ["Counter"] });
    expect(await p.counts("/visits", 2)).toEqual([
      { className: "Counter", count: 1 },
      { className: "Counter", count: 2 },
    ]);
    await p.uploadTenant("Tally", { old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] });
    expect(await p.count("/visits")).toEqual({ className: "Tally", count: 3 });
  });

  it("a deleted class's objects are gone: a new class of the same name starts at 1", async () => {
    expect((await p.count("/gone")).count).toBe(1);
    await p.uploadTenant(undefined, { old_tag: "v2", new_tag: "v3", deleted_classes: ["Tally"] });
    await p.uploadTenant("Tally", { old_tag: "v3", new_tag: "v4", new_sqlite_classes: ["Tally"] });
    expect(await p.counts("/gone", 2)).toEqual([
      { className: "Tally", count: 1 },
      { className: "Tally", count: 2 },
    ]);
  });

  it("the dispatcher's own renamed class keeps counting too", async () => {
    expect(await p.counts("/own", 2)).toEqual([
      { className: "Hits", count: 1 },
      { className: "Hits", count: 2 },
    ]);
    await p.uploadDispatcher("Visits", { old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Hits", to: "Visits" }] });
    expect(await p.count("/own")).toEqual({ className: "Visits", count: 3 });
  });
});

describe("state kept before the emulator tracked Durable Object namespaces", () => {
  let dataDir: string;
  let p: Awaited<ReturnType<typeof platform>> | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "wfp-do-rename-"));
    const first = await platform({ dataDir });
    await first.cf.workersForPlatforms.dispatch.namespaces.create({ account_id: first.account_id, name: "tenants" });
    await withDispatcherOnHost(first);
    await first.uploadTenant("Counter", { new_tag: "v1", new_sqlite_classes: ["Counter"] });
    await first.emu.close();
    // What an older emulator wrote: a state.json whose classes have no namespace ids.
    const stateJson = JSON.stringify(readStoredState(dataDir));
    expect(stateJson).toContain('"durable_object_namespaces"');
    writeFileSync(
      path.join(dataDir, "state.json"),
      JSON.stringify(JSON.parse(stateJson, (key, value) => (key === "durable_object_namespaces" ? undefined : value))),
    );
    rmSync(path.join(dataDir, JOURNAL_FILE));
    p = await platform({ dataDir });
  });
  afterAll(async () => {
    await p?.emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loads, and a rename still carries the class's objects", async () => {
    expect((await p!.counts("/kept", 2)).map((c) => c.count)).toEqual([1, 2]);
    await p!.uploadTenant("Tally", { old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] });
    expect(await p!.count("/kept")).toEqual({ className: "Tally", count: 3 });
  });
});
