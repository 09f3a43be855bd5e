/** Account-level Workers, workers.dev, zones/routes and KV are persisted like the rest, and reach the request log. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultZoneId, startEmulator } from "../../emulator";
import { readStoredState } from "../../emulator/persistence/state-journal";
import { control, sdk } from "./helpers";
import { uploadAccountScript, workerForm } from "./script-helpers";

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-acct-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("survives a restart: account Workers, their workers.dev toggle, the subdomain, routes and KV", async () => {
  const first = await startEmulator({ dataDir: dir });
  const cf = sdk(first);
  const account_id = first.accountId;
  const zone_id = defaultZoneId(account_id, "example.com");
  await uploadAccountScript(cf, account_id, "dispatcher", workerForm({ main_module: "index.js", tags: ["edge"] }));
  await cf.workers.scripts.subdomain.create("dispatcher", { account_id, enabled: true });
  await cf.workers.subdomains.update({ account_id, subdomain: "acme" });
  const route = await cf.workers.routes.create({ zone_id, pattern: "*.example.com/*", script: "dispatcher" });
  const ns = await cf.kv.namespaces.create({ account_id, title: "CONFIG" });
  await cf.kv.namespaces.values.update("k", { account_id, namespace_id: ns.id, value: "v" });
  await first.close();

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.state.accountScript("dispatcher")).toMatchObject({ name: "dispatcher", tags: ["edge"] });
    expect(second.state.scriptSubdomain("dispatcher")).toEqual({ enabled: true, previews_enabled: true });
    expect(second.state.workersDevSubdomain()).toBe("acme");
    expect(second.state.routes(zone_id)).toEqual([{ ...route, zone_id, zone_name: "example.com" }]);
    expect(second.state.kvNamespaces()).toMatchObject([{ id: ns.id, title: "CONFIG", entries: [{ name: "k" }] }]);
    const text = await (await sdk(second).kv.namespaces.values.get("k", { account_id, namespace_id: ns.id })).text();
    expect(text).toBe("v");

    second.reset();
    const onDisk = readStoredState(dir)!.accounts[0];
    expect(onDisk).toMatchObject({ scripts: {}, workersDev: { subdomain: null, scripts: {} }, kvNamespaces: [] });
    expect(onDisk.zones).toMatchObject([{ id: zone_id, name: "example.com", routes: [] }]);
  } finally {
    await second.close();
  }
});

it("loads a state.json written before these slices existed", async () => {
  const accountId = "a".repeat(32);
  const old = {
    version: 1,
    defaultAccountId: accountId,
    defaultApiToken: "tok",
    accounts: [
      { id: accountId, name: "Old", type: "standard", created_on: "2025-01-01T00:00:00.000000Z", settings: {}, dispatchNamespaces: [] },
    ],
  };
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(old));
  const emu = await startEmulator({ dataDir: dir });
  try {
    expect(emu.state.accountScripts()).toEqual([]);
    expect(emu.state.workersDevSubdomain()).toBeNull();
    expect(emu.state.kvNamespaces()).toEqual([]);
    expect(emu.state.zones().map((z) => z.id)).toEqual([defaultZoneId(accountId, "example.com")]);
  } finally {
    await emu.close();
  }
});

it("records the new endpoints in the request log and exposes them in /__emulator/state", async () => {
  const emu = await startEmulator();
  try {
    const cf = sdk(emu);
    const zone_id = emu.state.zones()[0].id;
    await cf.workers.routes.create({ zone_id, pattern: "example.com/*", script: "d" });
    await cf.kv.namespaces.create({ account_id: emu.accountId, title: "T" });
    expect(emu.requests.writes().map((e) => [e.method, e.path, e.status, e.body])).toEqual([
      ["POST", `/zones/${zone_id}/workers/routes`, 200, { pattern: "example.com/*", script: "d" }],
      ["POST", `/accounts/${emu.accountId}/storage/kv/namespaces`, 200, { title: "T" }],
    ]);
    const state = (await control(emu, "GET", "/state")).json.result;
    expect(state.accounts[0].zones[0].routes).toEqual([expect.objectContaining({ pattern: "example.com/*" })]);
    expect(state.accounts[0].kvNamespaces).toEqual([expect.objectContaining({ title: "T" })]);
  } finally {
    await emu.close();
  }
});
