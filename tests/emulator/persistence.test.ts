/**
 * With a data directory, state survives a restart: each change is appended to the state journal, a torn
 * last write (or a tail an OS crash left unwritten) is cut off, the journal is compacted, a state.json of earlier versions is migrated, and a
 * damaged store is reported, not wiped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { JOURNAL_FILE } from "../../emulator/persistence/journal-file";
import { MIGRATED_STATE_FILE, readStoredState } from "../../emulator/persistence/state-journal";
import { sdk } from "./helpers";
import { uploadModule, type Target } from "./script-helpers";

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

it("writes each change to the journal as it happens (no temp files left behind)", async () => {
  const emu = await startEmulator({ dataDir: dir, accountId: "d".repeat(32) });
  try {
    const read = () => readStoredState(dir)!;
    expect(read().accounts[0]).toMatchObject({ id: "d".repeat(32), name: "Emulated Account", dispatchNamespaces: [] });
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "on-disk" });
    expect(read().accounts[0].dispatchNamespaces.map((n) => n.namespace_name)).toEqual(["on-disk"]);
    // Beside the journal only the key that seals secret values in it (secret-seal.ts).
    expect(fs.readdirSync(dir).sort()).toEqual(["secrets.key", JOURNAL_FILE]);
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

it("refuses to start on a corrupt state.json of an earlier version, naming it", async () => {
  fs.writeFileSync(path.join(dir, "state.json"), "{ not json");
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/Cannot load emulator state from .*state\.json/);
  expect(fs.readFileSync(path.join(dir, "state.json"), "utf8")).toBe("{ not json");
});

it("creates the data directory when it does not exist", async () => {
  const nested = path.join(dir, "a", "b");
  const emu = await startEmulator({ dataDir: nested });
  await emu.close();
  expect(fs.existsSync(path.join(nested, JOURNAL_FILE))).toBe(true);
});

it("rejects a malformed account id option", async () => {
  await expect(startEmulator({ accountId: "XYZ" })).rejects.toThrow(/32 lowercase hex/);
});

const NS = "tenants";

async function withTenants(emu: Emulator): Promise<Target> {
  const cf = sdk(emu);
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  return { cf, account_id: emu.accountId, namespace: NS };
}

const code = (text: string) => ({ "index.js": `export default { fetch() { return new Response(${JSON.stringify(text)}); } };\n` });
const mainText = (emu: Emulator, name: string) => emu.state.script(NS, name)?.modules[0].text;

it("cuts off a write torn by a kill and keeps every whole write before it", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  await uploadModule(t, "a", {}, code("a1"));
  await uploadModule(t, "b", {}, code("b1"));
  const file = path.join(dir, JOURNAL_FILE);
  const whole = fs.statSync(file).size;
  await uploadModule(t, "a", {}, code("a2"));
  await first.close();
  const afterLast = fs.statSync(file).size;
  // The last write, cut in the middle of its record: what a kill during the append leaves.
  fs.truncateSync(file, whole + Math.floor((afterLast - whole) / 2));

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(mainText(second, "a")).toContain("a1");
    expect(mainText(second, "b")).toContain("b1");
    // The torn bytes are gone, so the next write follows the last whole one.
    expect(fs.statSync(file).size).toBe(whole);
    await uploadModule({ ...t, cf: sdk(second) }, "c", {}, code("c1"));
  } finally {
    await second.close();
  }
  const third = await startEmulator({ dataDir: dir });
  try {
    expect(third.state.scripts(NS).map((s) => [s.name, s.modules[0].text.match(/"(\w\d)"/)?.[1]])).toEqual([
      ["a", "a1"],
      ["b", "b1"],
      ["c", "c1"],
    ]);
  } finally {
    await third.close();
  }
});

it("treats a whole write without its commit record as torn", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  await uploadModule(t, "a", {}, code("a1"));
  const file = path.join(dir, JOURNAL_FILE);
  const whole = fs.statSync(file).size;
  await uploadModule(t, "a", {}, code("a2"));
  await first.close();
  const lines = fs.readFileSync(file, "utf8").slice(whole).split("\n").filter(Boolean);
  expect(JSON.parse(lines[lines.length - 1].split(" ")[1])).toEqual({ c: 1 });
  // Every record of the last write is there except its commit.
  fs.truncateSync(file, fs.statSync(file).size - Buffer.byteLength(lines[lines.length - 1]) - 1);

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(mainText(second, "a")).toContain("a1");
  } finally {
    await second.close();
  }
});

it("cuts off a tail of zeros after the last commit: what an OS crash before the sync can leave", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  await uploadModule(t, "a", {}, code("a1"));
  await first.close();
  const file = path.join(dir, JOURNAL_FILE);
  const whole = fs.statSync(file).size;
  // The file grew, but the blocks of the last writes never reached the disk: they read back as zeros.
  fs.appendFileSync(file, Buffer.concat([Buffer.alloc(200), Buffer.from("\n"), Buffer.alloc(100)]));

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(mainText(second, "a")).toContain("a1");
    expect(fs.statSync(file).size).toBe(whole);
  } finally {
    await second.close();
  }
});

it("refuses to start on damage before the last committed write, naming the journal", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  await uploadModule(t, "a", {}, code("a1"));
  await first.close();
  const file = path.join(dir, JOURNAL_FILE);
  const text = fs.readFileSync(file, "utf8");
  const damaged = text.replace('"Emulated Account"', '"Emulated Accouxt"');
  expect(damaged).not.toBe(text);
  fs.writeFileSync(file, damaged);
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/state\.journal: bad record at byte \d+, before a later committed write/);
  expect(fs.readFileSync(file, "utf8")).toBe(damaged);
});

it("compacts the journal once it has grown to twice what it holds, and keeps the state", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  const file = path.join(dir, JOURNAL_FILE);
  const big = "x".repeat(256 * 1024);
  const sizes: number[] = [];
  for (let i = 0; i < 24; i++) {
    await uploadModule(t, "big", {}, { "index.js": code(`v${i}`)["index.js"], "data.txt": { code: big + i, type: "text/plain" } });
    sizes.push(fs.statSync(file).size);
  }
  await uploadModule(t, "small", {}, code("s1"));
  await first.close();
  // Each upload appends a new 256 KB body (base64, once for the module and the part it came in).
  // Past the 4 MiB floor the journal is rewritten with each unit once, so it shrank at least once.
  expect(sizes.some((size, i) => i > 0 && size < sizes[i - 1])).toBe(true);
  expect(Math.max(...sizes)).toBeLessThan(2 * 4 * 1024 * 1024);
  expect(fs.readdirSync(dir).sort()).toEqual(["secrets.key", JOURNAL_FILE]);

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(mainText(second, "big")).toContain("v23");
    expect(second.state.script(NS, "big")!.modules[1].text).toBe(big + 23);
    expect(mainText(second, "small")).toContain("s1");
  } finally {
    await second.close();
  }
});

it("migrates a state.json of an earlier version on first start and keeps the old file aside", async () => {
  const accountId = "c".repeat(32);
  const first = await startEmulator({ accountId });
  const t = await withTenants(first);
  await uploadModule(t, "legacy", { bindings: [{ type: "secret_text", name: "S", text: "kept-secret" }] }, code("l1"));
  const legacy = first.state.snapshot();
  await first.close();
  // What the emulator wrote before the journal: the whole state as one JSON document.
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(legacy, null, 2));

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.accountId).toBe(accountId);
    expect(second.apiToken).toBe(legacy.defaultApiToken);
    expect(second.state.script(NS, "legacy")).toEqual(first.state.script(NS, "legacy"));
    expect(fs.readdirSync(dir).sort()).toEqual(["secrets.key", JOURNAL_FILE, MIGRATED_STATE_FILE].sort());
    expect(fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8")).not.toContain("kept-secret");
    await uploadModule({ ...t, cf: sdk(second) }, "after", {}, code("n1"));
  } finally {
    await second.close();
  }
  // The next start reads the journal (the migrated file is no longer read).
  fs.writeFileSync(path.join(dir, MIGRATED_STATE_FILE), "{ not json");
  const third = await startEmulator({ dataDir: dir });
  try {
    expect(third.state.scripts(NS).map((s) => s.name)).toEqual(["after", "legacy"]);
    expect(third.state.script(NS, "legacy")!.bindings).toEqual([{ type: "secret_text", name: "S", text: "kept-secret" }]);
  } finally {
    await third.close();
  }
});

it("restarts with what every kind of change left: uploads, a delete, tags, a deleted namespace and a reset", async () => {
  const first = await startEmulator({ dataDir: dir });
  const t = await withTenants(first);
  const cf = t.cf.workersForPlatforms.dispatch.namespaces;
  for (const name of ["one", "two", "three"]) await uploadModule(t, name, {}, code(name));
  await cf.scripts.delete("two", { account_id: t.account_id, dispatch_namespace: NS });
  await t.cf.put(`/accounts/${t.account_id}/workers/dispatch/namespaces/${NS}/scripts/three/tags`, { body: ["blue"] });
  await cf.create({ account_id: t.account_id, name: "gone" });
  await cf.delete("gone", { account_id: t.account_id });
  const before = first.state.snapshot();
  await first.close();

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.state.snapshot()).toEqual(before);
    expect(second.state.script(NS, "three")!.tags).toEqual(["blue"]);
    second.reset();
  } finally {
    await second.close();
  }
  const third = await startEmulator({ dataDir: dir });
  try {
    expect(third.state.namespaces()).toEqual([]);
  } finally {
    await third.close();
  }
});
