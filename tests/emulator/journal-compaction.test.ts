/**
 * The state journal's compaction runs beside the writes: its snapshot syncs off the event loop while
 * writes go on to the old journal, and those writes follow the snapshot into the new one. A kill at any
 * point leaves a whole store, and what a killed compaction left behind is removed at the next open. A
 * write that names the scripts it touched is looked for only there, while the rest of the state is still
 * walked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { JOURNAL_FILE } from "../../emulator/persistence/journal-file";
import { readStoredState, StateJournal } from "../../emulator/persistence/state-journal";
import type { PersistedState, ScriptRecord } from "../../emulator/state";
import { sdk } from "./helpers";
import { uploadModule } from "./script-helpers";

const NS = "tenants";
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-compaction-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A data directory holding scripts `a` and `b` in namespace `tenants`, written by the emulator itself. */
async function storeWithTwoScripts(): Promise<void> {
  const emu = await startEmulator({ dataDir: dir });
  const cf = sdk(emu);
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  const t = { cf, account_id: emu.accountId, namespace: NS };
  await uploadModule(t, "a", {}, { "index.js": "export default {};\n" });
  await uploadModule(t, "b", {}, { "index.js": "export default {};\n" });
  await emu.close();
}

const scriptsOf = (state: PersistedState): Record<string, ScriptRecord> => state.accounts[0].dispatchNamespaces[0].scripts;

/** A change to script `name` as an upload makes it: a new mark (`modified_on`) and new content. */
function change(state: PersistedState, name: string, text: string): void {
  const script = scriptsOf(state)[name];
  script.modified_on = `${script.modified_on}+`;
  script.tags = [text];
}

/** What a new process would load from the directory now (the journal as a kill would leave it). */
const tagsOnDisk = () => Object.fromEntries(Object.entries(scriptsOf(readStoredState(dir)!)).map(([name, s]) => [name, s.tags]));

const compactingFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith(".compacting"));

async function compactionFinished(): Promise<void> {
  while (compactingFiles().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

it("keeps writing while a compaction syncs, and a kill at any point leaves every write", async () => {
  await storeWithTwoScripts();
  const journal = StateJournal.open(dir, { minCompactBytes: 1 });
  const state = journal.loaded!;
  const file = path.join(dir, JOURNAL_FILE);
  try {
    // Rewriting `a` grows the journal past twice what it holds: the append starts a compaction.
    for (let i = 1; compactingFiles().length === 0; i++) {
      change(state, "a", `a${i}`);
      journal.record(state);
      journal.writeNow();
    }
    const before = fs.statSync(file).size;
    change(state, "b", "during");
    journal.record(state);
    journal.writeNow();
    // The snapshot is not yet in the journal's place: a kill now leaves the old journal, with this write.
    expect(compactingFiles()).toHaveLength(1);
    expect(fs.statSync(file).size).toBeGreaterThan(before);
    const lastA = scriptsOf(state).a.tags;
    expect(tagsOnDisk()).toEqual({ a: lastA, b: ["during"] });

    await compactionFinished();
    // The new journal: the snapshot, then the write made during the compaction.
    expect(fs.statSync(file).size).toBeLessThan(before);
    expect(tagsOnDisk()).toEqual({ a: lastA, b: ["during"] });
    change(state, "b", "after");
    journal.record(state);
    journal.writeNow();
    expect(tagsOnDisk()).toEqual({ a: lastA, b: ["after"] });
  } finally {
    journal.close();
  }
  expect(fs.readdirSync(dir).sort()).toEqual(["secrets.key", JOURNAL_FILE]);
});

it("drops a compaction still syncing at close: the journal it would replace holds everything", async () => {
  await storeWithTwoScripts();
  const journal = StateJournal.open(dir, { minCompactBytes: 1 });
  const state = journal.loaded!;
  for (let i = 1; compactingFiles().length === 0; i++) {
    change(state, "a", `a${i}`);
    journal.record(state);
    journal.writeNow();
  }
  change(state, "b", "last");
  journal.record(state);
  journal.close();
  expect(compactingFiles()).toEqual([]);
  expect(tagsOnDisk()).toEqual({ a: scriptsOf(state).a.tags, b: ["last"] });
});

it("loads a store whose compaction a kill interrupted, and removes the temporary file", async () => {
  await storeWithTwoScripts();
  const file = path.join(dir, JOURNAL_FILE);
  // What a kill during the snapshot's write leaves: a partial copy beside the whole journal.
  const partial = fs.readFileSync(file).subarray(0, 100);
  fs.writeFileSync(`${file}.99999.compacting`, partial);
  const emu = await startEmulator({ dataDir: dir });
  try {
    expect(emu.state.scripts(NS).map((s) => s.name)).toEqual(["a", "b"]);
    expect(compactingFiles()).toEqual([]);
  } finally {
    await emu.close();
  }
});

it("writes every change of a turn when only some of them name the scripts they touched", async () => {
  await storeWithTwoScripts();
  const journal = StateJournal.open(dir);
  const state = journal.loaded!;
  const scripts = scriptsOf(state);
  try {
    change(state, "a", "named");
    journal.record(state, { container: scripts, names: ["a"] });
    journal.writeNow();
    expect(tagsOnDisk()).toEqual({ a: ["named"], b: [] });

    // One change names its script, another in the same turn does not: the turn walks everything.
    change(state, "a", "named again");
    journal.record(state, { container: scripts, names: ["a"] });
    change(state, "b", "unnamed");
    journal.record(state);
    journal.writeNow();
    expect(tagsOnDisk()).toEqual({ a: ["named again"], b: ["unnamed"] });

    // A named removal is written as one.
    delete scripts.b;
    journal.record(state, { container: scripts, names: ["b"] });
    journal.writeNow();
    expect(tagsOnDisk()).toEqual({ a: ["named again"] });
  } finally {
    journal.close();
  }
});
