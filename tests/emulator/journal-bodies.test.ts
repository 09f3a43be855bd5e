/**
 * Code shared by many tenants is stored once: a script unit names its modules' bodies by sha256 and the
 * journal holds each body in a unit of its own, written with the first script that names it and removed
 * with the last. Bodies survive a restart and a compaction; a journal whose scripts hold their code inline
 * (written before bodies were stored apart) still loads.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { JOURNAL_FILE, journalLine, readJournal } from "../../emulator/persistence/journal-file";
import { StoredBodies } from "../../emulator/persistence/bodies";
import { sdk } from "./helpers";
import { uploadModule, type Target } from "./script-helpers";

const NS = "tenants";
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-bodies-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const shared = (version: string) => `export default { fetch(req, env) { return new Response(env.TENANT + " ${version}"); } };\n`;
const base64 = (text: string) => Buffer.from(text).toString("base64");
const journalText = () => fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
const occurrences = (text: string, part: string) => text.split(part).length - 1;
const tenants = ["t1", "t2", "t3", "t4", "t5"];

async function fleetOf(emu: Emulator): Promise<Target> {
  const cf = sdk(emu);
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  return { cf, account_id: emu.accountId, namespace: NS };
}

/** A store of the tenants on `shared("v1")`, its journal rewritten as one write of the units `rewrite` gives. */
async function storeRewritten(rewrite: (units: Map<string, unknown>) => Iterable<[string, unknown]>): Promise<void> {
  const emu = await startEmulator({ dataDir: dir });
  await uploadAll(await fleetOf(emu), shared("v1"));
  await emu.close();
  const file = path.join(dir, JOURNAL_FILE);
  const { units } = readJournal(file, (json) => JSON.parse(json));
  const records = [...rewrite(units)].map(([k, v]) => journalLine(JSON.stringify({ k, v })));
  fs.writeFileSync(file, records.join("") + journalLine(`{"c":1}`));
}

async function uploadAll(t: Target, code: string): Promise<void> {
  for (const name of tenants) {
    await uploadModule(t, name, { bindings: [{ type: "plain_text", name: "TENANT", text: name }] }, { "index.js": code });
  }
}

it("writes code shared by every tenant once, and each tenant gets it back after a restart", async () => {
  const first = await startEmulator({ dataDir: dir });
  await uploadAll(await fleetOf(first), shared("v1"));
  await first.close();
  expect(occurrences(journalText(), base64(shared("v1")))).toBe(1);

  const second = await startEmulator({ dataDir: dir });
  try {
    for (const name of tenants) {
      const script = second.state.script(NS, name)!;
      expect(script.modules[0].text).toBe(shared("v1"));
      // The upload part that carried the module comes back with the same bytes.
      expect(script.parts.find((p) => p.name === "index.js")!.text).toBe(shared("v1"));
    }
  } finally {
    await second.close();
  }
});

it("writes a change of shared code once and removes the old body with its last tenant", async () => {
  const emu = await startEmulator({ dataDir: dir });
  try {
    const t = await fleetOf(emu);
    await uploadAll(t, shared("v1"));
    await uploadAll(t, shared("v2"));
    const text = journalText();
    expect(occurrences(text, base64(shared("v2")))).toBe(1);
    // The old body's unit was removed in the write that moved its last tenant.
    const { units } = readJournal(path.join(dir, JOURNAL_FILE), (json) => JSON.parse(json));
    const bodies = [...units.values()].filter((v) => typeof v === "string");
    expect(bodies).toEqual([base64(shared("v2"))]);

    for (const name of tenants)
      await t.cf.workersForPlatforms.dispatch.namespaces.scripts.delete(name, { account_id: emu.accountId, dispatch_namespace: NS });
    const { units: after } = readJournal(path.join(dir, JOURNAL_FILE), (json) => JSON.parse(json));
    expect([...after.values()].filter((v) => typeof v === "string")).toEqual([]);
  } finally {
    await emu.close();
  }
  const again = await startEmulator({ dataDir: dir });
  try {
    expect(again.state.scripts(NS)).toEqual([]);
  } finally {
    await again.close();
  }
});

it("loads a journal whose scripts hold their code inline, and stores it apart from the next write on", async () => {
  // The same store as a journal written before bodies were stored apart: every script inline, no body unit.
  await storeRewritten((units) => {
    StoredBodies.restore(units);
    return units;
  });
  expect(occurrences(journalText(), base64(shared("v1")))).toBe(2 * tenants.length);

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.state.scripts(NS).map((s) => s.modules[0].text)).toEqual(tenants.map(() => shared("v1")));
    await uploadModule({ cf: sdk(second), account_id: second.accountId, namespace: NS }, "t1", {}, { "index.js": shared("v2") });
  } finally {
    await second.close();
  }
  const third = await startEmulator({ dataDir: dir });
  try {
    expect(third.state.scripts(NS).map((s) => s.modules[0].text)).toEqual([shared("v2"), ...tenants.slice(1).map(() => shared("v1"))]);
  } finally {
    await third.close();
  }
});

it("refuses to load a script whose body the journal does not hold, naming the body", async () => {
  await storeRewritten((units) => [...units].filter(([, v]) => typeof v !== "string"));
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/script t1 names code body [0-9a-f]{64}, which the journal does not hold/);
});
