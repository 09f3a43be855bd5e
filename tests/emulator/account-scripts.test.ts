/**
 * Account-level Workers (`/accounts/:a/workers/scripts`, the dispatcher of a WfP setup) through the
 * official SDK: upload (same format and validation as namespaced uploads, plus `annotations`), the
 * code answers, list, settings, secrets, delete, and independence from namespaced scripts.
 */
import Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { CF_TIMESTAMP, HEX32, rejectionOf, sleep, useEmulator, UUID } from "./helpers";
import { accountScriptPath, CLASSIC, ESM, HELLO, upload, uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
const HEX64 = /^[0-9a-f]{64}$/;
const scripts = () => cf.workers.scripts;
const DISPATCHER = `export default { async fetch(req, env) { return env.DISPATCHER.get("t").fetch(req); } };\n`;
const dispatcherMetadata = {
  main_module: "index.js",
  compatibility_date: "2024-09-23",
  bindings: [{ type: "dispatch_namespace", name: "DISPATCHER", namespace: "tenants" }],
  tags: ["edge"],
};

// Default-like retries: 4xx answers must not be retried.
useEmulator((f) => ({ emu, cf, account_id } = f), {}, { maxRetries: 2 });

const uploadDispatcher = (name = "dispatcher", metadata: Record<string, unknown> = dispatcherMetadata) =>
  uploadAccountScript(cf, account_id, name, workerForm(metadata, { "index.js": DISPATCHER }));

describe("PUT /workers/scripts/:script", () => {
  it("answers what a namespaced upload answers and stores what was sent (StateView.accountScript)", async () => {
    const result = await uploadDispatcher();
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    const form = workerForm(dispatcherMetadata, { "index.js": DISPATCHER });
    const namespaced = await upload({ cf, account_id, namespace: "tenants" }, "dispatcher", form);
    expect(result).toEqual({
      ...namespaced,
      deployment_id: expect.stringMatching(UUID),
      tag: expect.stringMatching(HEX32),
      created_on: expect.stringMatching(CF_TIMESTAMP),
      modified_on: result.created_on,
    });
    expect(result).toMatchObject({
      id: "dispatcher",
      etag: expect.stringMatching(HEX64),
      startup_time_ms: 0,
      handlers: ["fetch"],
      tags: ["edge"],
    });
    const stored = emu.state.accountScript("dispatcher")!;
    expect(stored.metadata).toEqual(dispatcherMetadata);
    expect(stored.bindings).toEqual(dispatcherMetadata.bindings);
    expect(stored.modules.map((m) => [m.name, m.content_type, m.text])).toEqual([["index.js", ESM, DISPATCHER]]);
    expect(emu.state.accountScripts().map((s) => s.name)).toEqual(["dispatcher"]);
    expect(emu.state.accountScripts(account_id)).toHaveLength(1);
  });

  it("works through the typed SDK method with the FormData override too", async () => {
    const result = await scripts().update(
      "typed",
      { account_id, metadata: {} },
      { body: workerForm({ main_module: "index.js" }), headers: { "Content-Type": null } },
    );
    expect(result).toMatchObject({ id: "typed", has_modules: true });
  });

  it("is an upsert: tag and created_on survive, modified_on moves; the etag follows the code", async () => {
    const first = await uploadDispatcher();
    await sleep(2);
    const second = await uploadDispatcher("dispatcher", { ...dispatcherMetadata, tags: ["other"] });
    expect(second).toMatchObject({ tag: first.tag, created_on: first.created_on, etag: first.etag, tags: ["other"] });
    expect(second.modified_on > first.modified_on).toBe(true);
    const changed = await uploadAccountScript(cf, account_id, "dispatcher", workerForm(dispatcherMetadata, { "index.js": HELLO }));
    expect(changed.etag).not.toBe(first.etag);
  });

  it("validates like a namespaced upload: 10021 for the SDK v7 encoding and bad metadata, 10016 for a bad name", async () => {
    const v7 = await rejectionOf(() =>
      scripts().update("sdk-v7", {
        account_id,
        metadata: { main_module: "index.js" },
        files: [new File([HELLO], "index.js", { type: ESM })],
      }),
    );
    expect(v7).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(v7.errors[0].code).toBe(10021);

    const missing = await rejectionOf(() => uploadAccountScript(cf, account_id, "w", workerForm({ main_module: "nope.js" })));
    expect(missing.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("main_module 'nope.js'") });

    const badBinding = await rejectionOf(() =>
      uploadAccountScript(cf, account_id, "w", workerForm({ main_module: "index.js", bindings: [{ type: "d1", name: "DB" }] })),
    );
    expect(badBinding.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("binding DB of type d1") });

    const badName = await rejectionOf(() => uploadAccountScript(cf, account_id, "Bad.Name", workerForm({ main_module: "index.js" })));
    expect(badName.status).toBe(400);
    expect(badName.errors[0].code).toBe(10016);
    // wrangler's rule for account-level Workers allows a leading underscore.
    await expect(uploadAccountScript(cf, account_id, "_internal", workerForm({ main_module: "index.js" }))).resolves.toMatchObject({
      id: "_internal",
    });
    expect(emu.state.accountScripts().map((s) => s.name)).toEqual(["_internal"]);
  });

  it("reads annotations (message cut to 1000 bytes, tag at most 100 bytes) and shows them in the settings", async () => {
    const message = "m".repeat(1200);
    await uploadDispatcher("annotated", { ...dispatcherMetadata, annotations: { "workers/message": message, "workers/tag": "v1" } });
    const settings = await scripts().scriptAndVersionSettings.get("annotated", { account_id });
    expect(settings.annotations).toEqual({ "workers/message": "m".repeat(1000), "workers/tag": "v1" });

    const tooLong = await rejectionOf(() =>
      uploadDispatcher("annotated", { ...dispatcherMetadata, annotations: { "workers/tag": "t".repeat(101) } }),
    );
    expect(tooLong.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("workers/tag") });
    // A new upload without annotations has none (they belong to a version).
    await uploadDispatcher("annotated");
    expect(await scripts().scriptAndVersionSettings.get("annotated", { account_id })).not.toHaveProperty("annotations");
  });

  it("keeps account-level and namespaced Workers of the same name apart", async () => {
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    await upload({ cf, account_id, namespace: "tenants" }, "same", workerForm({ main_module: "index.js", tags: ["ns"] }));
    await uploadAccountScript(cf, account_id, "same", workerForm({ main_module: "index.js", tags: ["account"] }));
    expect(emu.state.script("tenants", "same")!.tags).toEqual(["ns"]);
    expect(emu.state.accountScript("same")!.tags).toEqual(["account"]);
    await scripts().delete("same", { account_id });
    expect(emu.state.script("tenants", "same")).toBeDefined();
  });
});

describe("GET /workers/scripts/:script and …/content/v2 (the code)", () => {
  it("answers a service-worker script as its raw text (client.workers.scripts.get returns a string)", async () => {
    const code = `addEventListener("fetch", (e) => e.respondWith(new Response("sw")));`;
    await uploadAccountScript(cf, account_id, "sw", workerForm({ body_part: "worker.js" }, { "worker.js": { code, type: CLASSIC } }));
    await expect(scripts().get("sw", { account_id })).resolves.toBe(code);
    const res = await scripts().content.get("sw", { account_id });
    expect(res.headers.get("content-type")).toBe(CLASSIC);
    expect(await res.text()).toBe(code);
  });

  it("answers a module Worker as multipart/form-data, entry module first", async () => {
    await uploadAccountScript(
      cf,
      account_id,
      "mods",
      workerForm({ main_module: "index.js" }, { "lib.js": "export const x = 1;", "index.js": HELLO }),
    );
    const res = await scripts().content.get("mods", { account_id });
    expect(res.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(res.headers.get("cf-entrypoint")).toBe("index.js");
    const form = await res.formData();
    const files = [...(form as any).entries()].map(([k]: [string, File]) => k);
    expect(files).toEqual(["index.js", "lib.js"]);
    expect(await (form.get("index.js") as File).text()).toBe(HELLO);
    const text = await scripts().get("mods", { account_id });
    expect(text).toContain(HELLO);
  });

  it("answers 404 / 10007 for a missing Worker", async () => {
    const err = await rejectionOf(() => scripts().content.get("ghost", { account_id }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0]).toEqual({ code: 10007, message: "This Worker does not exist on your account." });
  });
});

describe("GET /workers/scripts (list)", () => {
  it("answers every Worker as a SinglePage of <Script>, filtered by ?tags", async () => {
    await uploadDispatcher("b-dispatcher");
    await uploadAccountScript(cf, account_id, "a-other", workerForm({ main_module: "index.js", tags: ["internal"] }));
    const all = await scripts().list({ account_id });
    expect(all.result.map((s) => s.id)).toEqual(["a-other", "b-dispatcher"]);
    expect(all.result[1]).toMatchObject({ id: "b-dispatcher", tags: ["edge"], has_modules: true, etag: expect.stringMatching(HEX64) });
    expect(all.result[1]).not.toHaveProperty("startup_time_ms");
    const edge = await scripts().list({ account_id, tags: "edge:yes" });
    expect(edge.result.map((s) => s.id)).toEqual(["b-dispatcher"]);
    const notEdge = await scripts().list({ account_id, tags: "edge:no" });
    expect(notEdge.result.map((s) => s.id)).toEqual(["a-other"]);
  });
});

describe("settings, content PUT, secrets, delete", () => {
  it("GET|PATCH …/settings (script and version settings) edit configuration and keep the code", async () => {
    const up = await uploadDispatcher();
    const settings = new File([JSON.stringify({ logpush: true, annotations: { "workers/tag": "patched" } })], "settings.json", {
      type: "application/json",
    });
    const edited = await scripts().scriptAndVersionSettings.edit("dispatcher", { account_id, settings: settings as any });
    expect(edited).toMatchObject({
      logpush: true,
      tags: ["edge"],
      bindings: dispatcherMetadata.bindings,
      annotations: { "workers/tag": "patched" },
    });
    expect(emu.state.accountScript("dispatcher")!.etag).toBe(up.etag);
    await expect(scripts().scriptAndVersionSettings.get("dispatcher", { account_id })).resolves.toEqual(edited);
  });

  it("PUT …/content replaces the code only", async () => {
    await uploadDispatcher();
    const form = new FormData();
    form.append("metadata", new Blob([JSON.stringify({ main_module: "index.js" })], { type: "application/json" }));
    form.append("index.js", new File([HELLO], "index.js", { type: ESM }));
    const res = await cf.put<{ result: { id: string; tags: string[] } }>(accountScriptPath(account_id, "dispatcher", "/content"), {
      body: form,
    });
    expect(res.result).toMatchObject({ id: "dispatcher", tags: ["edge"] });
    const stored = emu.state.accountScript("dispatcher")!;
    expect(stored.modules[0].text).toBe(HELLO);
    expect(stored.bindings).toEqual(dispatcherMetadata.bindings);
  });

  it("secrets: put, list, get, delete through client.workers.scripts.secrets; values never returned", async () => {
    await uploadDispatcher();
    const sec = scripts().secrets;
    await expect(sec.update("dispatcher", { account_id, name: "TOKEN", text: "s3cr3t", type: "secret_text" })).resolves.toEqual({
      name: "TOKEN",
      type: "secret_text",
    });
    expect((await sec.list("dispatcher", { account_id })).result).toEqual([{ name: "TOKEN", type: "secret_text" }]);
    await expect(sec.get("TOKEN", { account_id, script_name: "dispatcher" })).resolves.toEqual({ name: "TOKEN", type: "secret_text" });
    expect(emu.state.accountScript("dispatcher")!.bindings).toContainEqual({ name: "TOKEN", type: "secret_text", text: "s3cr3t" });
    await sec.delete("TOKEN", { account_id, script_name: "dispatcher" });
    const gone = await rejectionOf(() => sec.get("TOKEN", { account_id, script_name: "dispatcher" }));
    expect(gone.errors[0].code).toBe(10056);
  });

  it("DELETE (with or without force) removes the Worker; a second delete is 404 / 10007", async () => {
    await uploadDispatcher();
    await expect(scripts().delete("dispatcher", { account_id, force: true })).resolves.toBeNull();
    expect(emu.state.accountScript("dispatcher")).toBeUndefined();
    const again = await rejectionOf(() => scripts().delete("dispatcher", { account_id }));
    expect(again.status).toBe(404);
    expect(again.errors[0].code).toBe(10007);
    const del = emu.requests.filter({ method: "DELETE", path: accountScriptPath(account_id, "dispatcher") });
    expect(del.map((e) => [e.query, e.status])).toEqual([
      ["force=true", 200],
      ["", 404],
    ]);
  });
});
