/** The RuntimeSource over the emulator's state, without workerd: what the runtime is handed. */
import { startEmulator, defaultZoneId, type Emulator } from "../../emulator";
import { createRuntimeSource } from "../../emulator/runtime-source";
import type { EmulatorState } from "../../emulator/state";
import { sdk } from "../emulator/helpers";

describe("createRuntimeSource", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startEmulator()));
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());
  // `emu.state` is the live EmulatorState behind the read-only StateView type.
  const source = () => createRuntimeSource(emu.state as EmulatorState);

  it("converts a stored service-worker upload: modules with bytes, part bindings by module name, compatibility", async () => {
    const f = new FormData();
    const metadata = {
      body_part: "script",
      compatibility_date: "2024-06-01",
      compatibility_flags: ["nodejs_compat"],
      bindings: [{ type: "text_blob", name: "TEXT", part: "greeting" }],
    };
    f.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    f.append(
      "script",
      new File(["addEventListener('fetch', (e) => e.respondWith(new Response(TEXT)));"], "worker.js", { type: "application/javascript" }),
    );
    f.append("greeting", new File(["hi"], "greeting.txt", { type: "text/plain" }));
    await sdk(emu).put(`/accounts/${emu.accountId}/workers/scripts/classic`, { body: f });

    const s = source().accountScript("classic")!;
    expect(s).toMatchObject({
      name: "classic",
      etag: emu.state.accountScript("classic")!.etag,
      mainModule: "worker.js",
      bindings: [{ type: "text_blob", name: "TEXT", part: "greeting.txt" }],
      compatibilityDate: "2024-06-01",
      compatibilityFlags: ["nodejs_compat"],
    });
    expect(s.modules.map((m) => [m.name, m.contentType, Buffer.from(m.bytes).toString()])).toEqual([
      ["worker.js", "application/javascript", expect.stringContaining("addEventListener")],
      ["greeting.txt", "text/plain", "hi"],
    ]);
    expect(
      source()
        .accountScripts()
        .map((x) => x.name),
    ).toEqual(["classic"]);
    expect(source().namespaceScript("nope", "classic")).toBeUndefined();
  });

  it("lists the routes of the account's zones with their zone (a route without a Worker as an empty script)", async () => {
    const zone_id = defaultZoneId(emu.accountId, "example.com");
    await sdk(emu).workers.routes.create({ zone_id, pattern: "example.com/static/*" });
    await sdk(emu).workers.routes.create({ zone_id, pattern: "*.example.com/*", script: "dispatcher" });
    expect(source().routes()).toEqual([
      { pattern: "example.com/static/*", script: "", zone: "example.com" },
      { pattern: "*.example.com/*", script: "dispatcher", zone: "example.com" },
    ]);
    expect(source().workersDev()).toEqual({ enabledScripts: [] });
  });

  it("KV: refuses a namespace that does not exist, pages keys with the API's cursor", async () => {
    const kv = source().kv!;
    await expect(kv.get("f".repeat(32), "k")).rejects.toThrow(/KV namespace 'f{32}' does not exist/);
    const { id } = await sdk(emu).kv.namespaces.create({ account_id: emu.accountId, title: "t" });
    for (const k of ["b", "a", "c"]) await kv.put(id, k, new TextEncoder().encode(k));
    const first = await kv.list(id, { limit: 2 });
    expect(first).toMatchObject({ keys: [{ name: "a" }, { name: "b" }], list_complete: false });
    expect(await kv.list(id, { cursor: first.cursor })).toEqual({ keys: [{ name: "c" }], list_complete: true });
    await kv.delete(id, "a");
    expect(await kv.get(id, "a")).toBeUndefined();
    expect(emu.state.kvNamespaces()[0].entries.map((e) => e.name)).toEqual(["b", "c"]);
  });
});
