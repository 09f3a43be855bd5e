/**
 * Durable Object migrations in an upload's metadata (SOURCES.md §3.8): the tag a migration sets is the
 * script's `migration_tag`; `old_tag` must be the current tag (400 / 10079 otherwise); classes are created,
 * renamed and deleted once, and an upload without migrations keeps what earlier ones did. Each class's
 * namespace has an id the edge keys objects by: a rename keeps it, a delete drops it, a new class gets a
 * fresh one.
 */
import Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { applyMigrations, namespaceIdOf } from "../../emulator/workers/migrations";
import { rejectionOf, useEmulator } from "./helpers";
import { uploadModule, type Target } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let t: Target;
const NS = "tenants";
const COUNTER = `import { DurableObject } from "cloudflare:workers";\nexport class Counter extends DurableObject {}\nexport default { fetch() { return new Response("ok"); } };\n`;

useEmulator((f) => {
  ({ emu, cf } = f);
  t = { cf, account_id: f.account_id, namespace: NS };
});
beforeEach(() => cf.workersForPlatforms.dispatch.namespaces.create({ account_id: t.account_id, name: NS }));

const stored = (name: string) => emu.state.script(NS, name)!;
const withMigrations = (name: string, migrations: unknown) => uploadModule(t, name, { migrations }, { "index.js": COUNTER });

async function refusal(name: string, migrations: unknown): Promise<{ status: number; code: number; message: string }> {
  const err = await rejectionOf(() => withMigrations(name, migrations));
  expect(err).toBeInstanceOf(Cloudflare.APIError);
  return { status: err.status, code: err.errors[0].code, message: err.errors[0].message };
}

describe("the migration tag", () => {
  it("is set by new_tag, answered by the upload and kept by later uploads without migrations", async () => {
    const first = await withMigrations("w", { new_tag: "v1", new_sqlite_classes: ["Counter"] });
    expect(first.migration_tag).toBe("v1");
    expect(stored("w")).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Counter"] });
    const again = await uploadModule(t, "w", {}, { "index.js": COUNTER });
    expect(again.migration_tag).toBe("v1");
    expect(stored("w").durable_object_classes).toEqual(["Counter"]);
  });

  it("old_tag must be the script's current tag: otherwise 400 / 10079 naming the current tag, and nothing changes", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    expect(await refusal("w", { old_tag: "v0", new_tag: "v2", deleted_classes: ["Counter"] })).toEqual({
      status: 400,
      code: 10079,
      message: "Migration tag precondition failed; current tag is v1",
    });
    expect(stored("w")).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Counter"] });
    const next = await withMigrations("w", { old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] });
    expect(next.migration_tag).toBe("v2");
    expect(stored("w").durable_object_classes).toEqual(["Tally"]);
  });

  it("a script without a tag refuses any old_tag with 10079", async () => {
    expect(await refusal("fresh", { old_tag: "v1", new_tag: "v2", new_classes: ["Counter"] })).toMatchObject({ status: 400, code: 10079 });
    expect(emu.state.script(NS, "fresh")).toBeUndefined();
  });
});

describe("classes", () => {
  it("the steps form applies each step in order", async () => {
    await withMigrations("w", {
      new_tag: "v2",
      steps: [{ new_classes: ["Counter"] }, { renamed_classes: [{ from: "Counter", to: "Tally" }] }, { new_sqlite_classes: ["Room"] }],
    });
    expect(stored("w")).toMatchObject({ migration_tag: "v2", durable_object_classes: ["Tally", "Room"] });
  });

  it.each([
    [
      "a class created twice",
      { new_tag: "v2", new_classes: ["Counter"] },
      "migrations.new_classes: class 'Counter' already has a Durable Object namespace",
    ],
    [
      "a rename of a missing class",
      { new_tag: "v2", renamed_classes: [{ from: "Missing", to: "Other" }] },
      "migrations.renamed_classes: class 'Missing' has no Durable Object namespace",
    ],
    [
      "a delete of a missing class",
      { new_tag: "v2", deleted_classes: ["Missing"] },
      "migrations.deleted_classes: class 'Missing' has no Durable Object namespace",
    ],
    [
      "a class name that is no identifier",
      { new_tag: "v2", new_classes: ["my-counter"] },
      "migrations.new_classes[0] must be a class name (a JavaScript identifier)",
    ],
    [
      "steps beside top-level classes",
      { new_tag: "v2", new_classes: ["A"], steps: [] },
      "migrations: give either steps or new_classes at the top level, not both",
    ],
  ])("refuses %s with 400 / 10021 naming the field", async (_what, migrations, message) => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    const r = await refusal("w", migrations);
    expect(r).toMatchObject({ status: 400, code: 10021 });
    expect(r.message).toContain(message);
    expect(stored("w")).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Counter"] });
  });

  it("a deleted and re-uploaded script starts without a tag or classes", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    await cf.workersForPlatforms.dispatch.namespaces.scripts.delete("w", { account_id: t.account_id, dispatch_namespace: NS });
    const fresh = await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    expect(fresh.migration_tag).toBe("v1");
  });
});

describe("namespace ids", () => {
  const idOf = (name: string, className: string) => namespaceIdOf(stored(name), className);

  it("a rename hands the class's namespace to the new name; uploads without migrations keep it", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    const counter = idOf("w", "Counter");
    await withMigrations("w", { old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] });
    expect(stored("w").durable_object_namespaces).toEqual({ Tally: counter });
    await uploadModule(t, "w", {}, { "index.js": COUNTER });
    expect(stored("w").durable_object_namespaces).toEqual({ Tally: counter });
  });

  it("a class deleted and created again gets a namespace of its own", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    const first = idOf("w", "Counter");
    await withMigrations("w", { old_tag: "v1", new_tag: "v2", deleted_classes: ["Counter"] });
    expect(stored("w").durable_object_namespaces).toEqual({});
    await withMigrations("w", { old_tag: "v2", new_tag: "v3", new_classes: ["Counter"] });
    expect(idOf("w", "Counter")).not.toBe(first);
  });

  it("a deleted and re-uploaded script's class gets a namespace of its own", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    const first = idOf("w", "Counter");
    await cf.workersForPlatforms.dispatch.namespaces.scripts.delete("w", { account_id: t.account_id, dispatch_namespace: NS });
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    expect(idOf("w", "Counter")).not.toBe(first);
  });

  it("state kept before namespace ids has each class's name as its id, and a rename carries it", () => {
    const legacy = { migration_tag: "v1", durable_object_classes: ["Counter", "Room"] };
    expect(namespaceIdOf(legacy, "Counter")).toBe("Counter");
    const next = applyMigrations({ old_tag: "v1", new_tag: "v2", renamed_classes: [{ from: "Counter", to: "Tally" }] }, legacy);
    expect(next.durable_object_namespaces).toEqual({ Tally: "Counter", Room: "Room" });
  });

  it("the API never shows the ids", async () => {
    await withMigrations("w", { new_tag: "v1", new_classes: ["Counter"] });
    const settings = await cf.workersForPlatforms.dispatch.namespaces.scripts.settings.get("w", {
      account_id: t.account_id,
      dispatch_namespace: NS,
    });
    const script = await cf.workersForPlatforms.dispatch.namespaces.scripts.get("w", { account_id: t.account_id, dispatch_namespace: NS });
    expect(JSON.stringify([settings, script])).not.toContain(idOf("w", "Counter"));
  });
});
