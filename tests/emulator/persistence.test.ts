/** With a data directory, state survives a restart; writes are atomic; a corrupt file is reported, not wiped. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { sdk } from "./helpers";

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("keeps namespaces, the default account id and the default token across a restart", async () => {
  const first = await startEmulator({ dataDir: dir });
  const cf = sdk(first).workersForPlatforms.dispatch.namespaces;
  const created = await cf.create({ account_id: first.accountId, name: "durable" });
  await sdk(first).patch(`/accounts/${first.accountId}/workers/dispatch/namespaces/durable`, { body: { trusted_workers: true } });
  await cf.create({ account_id: first.accountId, name: "deleted-later" });
  await cf.delete("deleted-later", { account_id: first.accountId });
  await first.close();

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.accountId).toBe(first.accountId);
    expect(second.apiToken).toBe(first.apiToken);
    expect(second.port).not.toBe(0);
    const list = await sdk(second).workersForPlatforms.dispatch.namespaces.list({ account_id: second.accountId });
    expect(list.result).toEqual([{ ...created, trusted_workers: true, modified_on: expect.any(String) }]);
  } finally {
    await second.close();
  }
});

it("writes state.json after every change, atomically (no temp files left behind)", async () => {
  const emu = await startEmulator({ dataDir: dir, accountId: "d".repeat(32) });
  try {
    const read = () => JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8"));
    expect(read().accounts[0]).toMatchObject({ id: "d".repeat(32), name: "Emulated Account", dispatchNamespaces: [] });
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "on-disk" });
    expect(read().accounts[0].dispatchNamespaces.map((n: { namespace_name: string }) => n.namespace_name)).toEqual(["on-disk"]);
    // Beside the state only the key that seals secret values in it (secret-seal.ts).
    expect(fs.readdirSync(dir).sort()).toEqual(["secrets.key", "state.json"]);
    emu.reset();
    expect(read().accounts[0].dispatchNamespaces).toEqual([]);
  } finally {
    await emu.close();
  }
});

it("lets explicit options win over the persisted defaults and adds newly configured accounts", async () => {
  const first = await startEmulator({ dataDir: dir });
  await first.close();
  const second = await startEmulator({ dataDir: dir, accountId: "e".repeat(32), apiToken: "explicit" });
  try {
    expect(second.accountId).toBe("e".repeat(32));
    expect(second.apiToken).toBe("explicit");
    expect(second.state.accounts().map((a) => a.id)).toEqual([first.accountId, "e".repeat(32)]);
  } finally {
    await second.close();
  }
});

it("refuses to start on a corrupt state file, naming it", async () => {
  fs.writeFileSync(path.join(dir, "state.json"), "{ not json");
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/Cannot load emulator state from .*state\.json/);
  expect(fs.readFileSync(path.join(dir, "state.json"), "utf8")).toBe("{ not json");
});

it("creates the data directory when it does not exist", async () => {
  const nested = path.join(dir, "a", "b");
  const emu = await startEmulator({ dataDir: nested });
  await emu.close();
  expect(fs.existsSync(path.join(nested, "state.json"))).toBe(true);
});

it("rejects a malformed account id option", async () => {
  await expect(startEmulator({ accountId: "XYZ" })).rejects.toThrow(/32 lowercase hex/);
});
