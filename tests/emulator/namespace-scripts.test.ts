/**
 * User Workers in a dispatch namespace, driven through the official `cloudflare` SDK the way a
 * correct client uses it (native FormData uploads, SOURCES.md §3.4): every endpoint's shape,
 * upsert semantics, content, settings, bindings, secrets, tags, list/delete-by-tags, cascade,
 * faults and persistence.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, HEX32, rejectionOf, sdk, sleep, type EnvelopeOf } from "./helpers";
import { CLASSIC, ESM, formEntries, HELLO, rawFetch, scriptPath, upload, uploadModule, workerForm, type Target } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
let t: Target;
const NS = "tenants";
const scripts = () => cf.workersForPlatforms.dispatch.namespaces.scripts;
const params = () => ({ account_id, dispatch_namespace: NS });
const HEX64 = /^[0-9a-f]{64}$/;

beforeAll(async () => {
  emu = await startEmulator();
  cf = sdk(emu, { maxRetries: 2 }); // default-like retries: 4xx answers must not be retried
  account_id = emu.accountId;
  t = { cf, account_id, namespace: NS };
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.reset();
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: NS });
});

const namespaceOf = () => cf.workersForPlatforms.dispatch.namespaces.get(NS, { account_id });

describe("PUT …/scripts/:script (upload)", () => {
  it("answers the §3.6 upload result and stores exactly what was sent", async () => {
    const metadata = {
      main_module: "index.js",
      compatibility_date: "2024-09-23",
      compatibility_flags: ["nodejs_compat"],
      bindings: [
        { type: "plain_text", name: "GREETING", text: "hi" },
        { type: "kv_namespace", name: "KV", namespace_id: "0f2ac74b498b48028cb68387c421e279" },
      ],
      tags: ["customer-1", "prod"],
    };
    const result = await upload(t, "cust-1", workerForm(metadata, { "index.js": HELLO, "lib/util.js": "export const x = 1;\n" }));
    expect(result).toEqual({
      id: "cust-1",
      tag: expect.stringMatching(HEX32),
      etag: expect.stringMatching(HEX64),
      startup_time_ms: 0,
      handlers: ["fetch"],
      created_on: expect.stringMatching(CF_TIMESTAMP),
      modified_on: result.created_on,
      compatibility_date: "2024-09-23",
      compatibility_flags: ["nodejs_compat"],
      has_modules: true,
      has_assets: false,
      usage_model: "standard",
      tags: ["customer-1", "prod"],
      logpush: false,
    });

    const stored = emu.state.script(NS, "cust-1")!;
    expect(stored.metadata).toEqual(metadata);
    expect(stored.main_module).toBe("index.js");
    expect(stored.modules.map((m) => [m.name, m.part_name, m.content_type, m.text])).toEqual([
      ["index.js", "index.js", ESM, HELLO],
      ["lib/util.js", "lib/util.js", ESM, "export const x = 1;\n"],
    ]);
    expect(stored.parts.map((p) => [p.name, p.filename, p.content_type, p.size])).toEqual([
      ["metadata", "blob", "application/json", Buffer.byteLength(JSON.stringify(metadata))],
      ["index.js", "index.js", ESM, Buffer.byteLength(HELLO)],
      ["lib/util.js", "lib/util.js", ESM, 20],
    ]);
    expect(stored.parts[1].sha256).toMatch(HEX64);
    expect(JSON.parse(stored.parts[0].text)).toEqual(metadata);
    expect(stored.bindings).toEqual(metadata.bindings);
    expect((await namespaceOf()).script_count).toBe(1);
    expect(emu.state.scripts(NS).map((s) => s.name)).toEqual(["cust-1"]);
  });

  it.each(["json-file", "text-field", "named-file"] as const)("accepts the metadata part sent as %s", async (metadataAs) => {
    const metadata = { main_module: "index.js", tags: [metadataAs] };
    await upload(t, "enc", workerForm(metadata, undefined, { metadataAs }));
    const stored = emu.state.script(NS, "enc")!;
    expect(stored.metadata).toEqual(metadata);
    expect(stored.tags).toEqual([metadataAs]);
    expect(stored.parts[0]).toMatchObject({
      name: "metadata",
      filename: { "json-file": "blob", "text-field": null, "named-file": "metadata" }[metadataAs],
      content_type: metadataAs === "text-field" ? null : "application/json",
    });
  });

  it("keys modules by filename, falling back to the part name (SDK v6 sent every module as part 'files')", async () => {
    const form = new FormData();
    form.append("metadata", JSON.stringify({ main_module: "main.mjs" }));
    form.append("files", new File([HELLO], "main.mjs", { type: ESM }));
    form.append("files", new File(["export const a = 1;"], "dep.mjs", { type: ESM }));
    // A plain field has no filename: its name is the module name (RFC 7578 default type text/plain).
    form.append("notes.txt", "plain text module");
    await upload(t, "v6-style", form);
    const stored = emu.state.script(NS, "v6-style")!;
    expect(stored.modules.map((m) => [m.name, m.part_name, m.content_type])).toEqual([
      ["main.mjs", "files", ESM],
      ["dep.mjs", "files", ESM],
      ["notes.txt", "notes.txt", "text/plain"],
    ]);
  });

  it("is an upsert: tag and created_on survive, modified_on moves, script_count stays 1", async () => {
    const first = await uploadModule(t, "w", { tags: ["a"] });
    await sleep(2);
    const second = await uploadModule(t, "w", { tags: ["b"] });
    expect(second.tag).toBe(first.tag);
    expect(second.created_on).toBe(first.created_on);
    expect(second.modified_on! > first.modified_on!).toBe(true);
    expect(second.tags).toEqual(["b"]);
    expect((await namespaceOf()).script_count).toBe(1);
  });

  it("changes the etag only when the code changes", async () => {
    const a = await uploadModule(t, "e", { bindings: [{ type: "plain_text", name: "V", text: "1" }], tags: ["x"] });
    const sameCode = await uploadModule(t, "e", {
      bindings: [{ type: "plain_text", name: "V", text: "2" }],
      compatibility_date: "2024-01-01",
    });
    expect(sameCode.etag).toBe(a.etag);
    const newCode = await uploadModule(t, "e", {}, { "index.js": HELLO.replace("hello", "bye") });
    expect(newCode.etag).not.toBe(a.etag);
    const newType = await uploadModule(t, "e", {}, { "index.js": { code: HELLO, type: "text/javascript+module" } });
    expect(newType.etag).not.toBe(a.etag);
    const back = await uploadModule(t, "e");
    expect(back.etag).toBe(a.etag);
  });

  it("detects handlers from `export default {…}` members, a default class, or addEventListener; default ['fetch']", async () => {
    const code = `import x from "./x.js";
      const helper = { queue() {} }; // not part of the default export
      export default {
        async fetch(req) { return new Response("a"); },
        scheduled: async (event) => { const inner = { tail() {} }; },
        async email(message) {},
      };`;
    const r = await uploadModule(t, "h1", {}, { "index.js": code, "x.js": "export default 1;" });
    expect(r.handlers).toEqual(["email", "fetch", "scheduled"]);

    const cls = `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint { async fetch() {} async queue(batch) {} }`;
    expect((await uploadModule(t, "h2", {}, { "index.js": cls })).handlers).toEqual(["fetch", "queue"]);
    expect((await uploadModule(t, "h3", {}, { "index.js": "const app = {}; export default app;" })).handlers).toEqual(["fetch"]);

    const sw = `addEventListener("fetch", (e) => e.respondWith(new Response("x")));\naddEventListener('scheduled', () => {});`;
    const r4 = await upload(t, "h4", workerForm({ body_part: "worker.js" }, { "worker.js": { code: sw, type: CLASSIC } }));
    expect(r4).toMatchObject({ handlers: ["fetch", "scheduled"], has_modules: false });
  });

  it("applies defaults and echoes placement and observability", async () => {
    const bare = await upload(t, "defaults", workerForm({ main_module: "index.js" }));
    expect(bare).toMatchObject({
      compatibility_date: "2021-11-02",
      compatibility_flags: [],
      usage_model: "standard",
      logpush: false,
      tags: [],
    });
    expect(bare).not.toHaveProperty("placement");

    const placement = { mode: "smart" };
    const observability = { enabled: true, head_sampling_rate: 0.5, logs: { enabled: true, invocation_logs: false } };
    const r = await uploadModule(t, "echo", { placement, observability, logpush: true, usage_model: "bundled", limits: { cpu_ms: 50 } });
    expect(r).toMatchObject({ placement, observability, logpush: true, usage_model: "bundled" });
    await expect(scripts().settings.get("echo", params())).resolves.toMatchObject({ limits: { cpu_ms: 50 }, placement, observability });
  });

  it("takes a plain application/javascript body as one service-worker script named worker.js", async () => {
    const code = `addEventListener("fetch", (e) => e.respondWith(new Response("sw")));`;
    const res = await cf.put<EnvelopeOf<{ has_modules: boolean; handlers: string[] }>>(scriptPath(t, "sw"), {
      body: code,
      headers: { "Content-Type": "application/javascript" },
    });
    expect(res.result).toMatchObject({ has_modules: false, handlers: ["fetch"] });
    const stored = emu.state.script(NS, "sw")!;
    expect(stored).toMatchObject({ main_module: "worker.js", metadata: null, bindings: [] });
    expect(stored.modules[0]).toMatchObject({ name: "worker.js", content_type: "application/javascript", text: code });
  });

  it("answers 404 / 100119 when the namespace does not exist", async () => {
    const err = await rejectionOf(() => upload({ ...t, namespace: "ghost" }, "w", workerForm({ main_module: "index.js" })));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0]).toEqual({ code: 100119, message: "Dispatch namespace 'ghost' was not found." });
  });
});

describe("GET / DELETE …/scripts/:script", () => {
  it("GET answers { created_on, modified_on, dispatch_namespace, script }", async () => {
    const up = await uploadModule(t, "getme", { tags: ["t1"], placement: { mode: "smart" } });
    const got = await scripts().get("getme", params());
    const { startup_time_ms: _s, ...script } = up;
    expect(got).toEqual({ created_on: up.created_on, modified_on: up.modified_on, dispatch_namespace: NS, script });
  });

  it("answers 404 / 10092 for a missing script (what wrangler's deploy into a namespace expects), 404 / 100119 for a missing namespace", async () => {
    const err = await rejectionOf(() => scripts().get("nope", params()));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0]).toEqual({ code: 10092, message: "workers.api.error.environment_not_found" });
    const ns = await rejectionOf(() => scripts().get("nope", { account_id, dispatch_namespace: "ghost" }));
    expect(ns.errors[0].code).toBe(100119);
    // "constructor" is not a script just because every JS object has one.
    expect((await rejectionOf(() => scripts().get("constructor", params()))).errors[0].code).toBe(10092);
  });

  it("DELETE answers null (force=true accepted), updates script_count, then 404 / 10007", async () => {
    await uploadModule(t, "a");
    await uploadModule(t, "b");
    expect((await namespaceOf()).script_count).toBe(2);
    await expect(scripts().delete("a", params())).resolves.toBeNull();
    await expect(scripts().delete("b", { ...params(), force: true })).resolves.toBeNull();
    expect(emu.requests.filter({ method: "DELETE" }).map((e) => e.query)).toEqual(["", "force=true"]);
    expect((await namespaceOf()).script_count).toBe(0);
    const again = await rejectionOf(() => scripts().delete("a", params()));
    expect(again.status).toBe(404);
    expect(again.errors[0].code).toBe(10007);
  });

  it("a delete + re-upload starts a new script (new tag and created_on)", async () => {
    const first = await uploadModule(t, "reborn");
    await scripts().delete("reborn", params());
    const second = await uploadModule(t, "reborn");
    expect(second.tag).not.toBe(first.tag);
    expect(second.created_on).not.toBe(first.created_on);
  });
});

describe("content", () => {
  const wasm = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0xfe]);

  it("GET …/content answers the modules as multipart (main first, bytes intact) with cf-entrypoint", async () => {
    await upload(
      t,
      "c",
      workerForm(
        { main_module: "src/main.js" },
        {
          "lib.js": "export const lib = 1;",
          "src/main.js": HELLO,
          "add.wasm": { code: wasm, type: "application/wasm" },
        },
      ),
    );
    const res = await scripts().content.get("c", params());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(res.headers.get("cf-entrypoint")).toBe("src/main.js");
    const form = await res.formData();
    const files = formEntries(form).map(([name, f]) => [name, (f as File).name, (f as File).type]);
    expect(files).toEqual([
      ["src/main.js", "src/main.js", ESM],
      ["lib.js", "lib.js", ESM],
      ["add.wasm", "add.wasm", "application/wasm"],
    ]);
    expect(await (form.get("src/main.js") as File).text()).toBe(HELLO);
    expect(new Uint8Array(await (form.get("add.wasm") as File).arrayBuffer())).toEqual(wasm);
  });

  it("GET …/content of a missing script is 404 / 10007", async () => {
    const err = await rejectionOf(() => scripts().content.get("missing", params()));
    expect(err.status).toBe(404);
    expect(err.errors[0].code).toBe(10007);
  });

  it("PUT …/content replaces the code only: bindings, settings, tags and created_on stay", async () => {
    const up = await uploadModule(t, "code", {
      bindings: [{ type: "plain_text", name: "V", text: "1" }],
      tags: ["keep"],
      usage_model: "unbound",
    });
    const newCode = HELLO.replace("hello", "v2");
    // Typed method: metadata as a JSON File, each module under its own key (see the SDK note in script-upload-validation).
    const script = await scripts().content.update("code", {
      ...params(),
      metadata: new File([JSON.stringify({ main_module: "index.js" })], "metadata.json", { type: "application/json" }),
      "index.js": new File([newCode], "index.js", { type: ESM }),
    } as any);
    expect(script).toMatchObject({ id: "code", tag: up.tag, created_on: up.created_on, tags: ["keep"], usage_model: "unbound" });
    expect(script.etag).not.toBe(up.etag);
    expect(script).not.toHaveProperty("startup_time_ms");
    const stored = emu.state.script(NS, "code")!;
    expect(stored.modules[0].text).toBe(newCode);
    expect(stored.bindings).toEqual([{ type: "plain_text", name: "V", text: "1" }]);
    expect(stored.metadata).toEqual({ main_module: "index.js" });
  });

  it("PUT …/content takes the entry point from CF-WORKER-MAIN-MODULE-PART when there is no metadata", async () => {
    await uploadModule(t, "hdr");
    const form = new FormData();
    form.append("entry.js", new File([HELLO], "entry.js", { type: ESM }));
    const res = await cf.put<EnvelopeOf<{ handlers: string[] }>>(scriptPath(t, "hdr", "/content"), {
      body: form,
      headers: { "CF-WORKER-MAIN-MODULE-PART": "entry.js" },
    });
    expect(res.success).toBe(true);
    expect(emu.state.script(NS, "hdr")).toMatchObject({ main_module: "entry.js", metadata: null });
  });

  it("PUT …/content validates like an upload and needs an existing script", async () => {
    await uploadModule(t, "val");
    const bad = workerForm({ main_module: "missing.js" });
    const err = await rejectionOf(() => cf.put(scriptPath(t, "val", "/content"), { body: bad }));
    expect(err.status).toBe(400);
    expect(err.errors[0].code).toBe(10021);
    expect(err.errors[0].message).toContain("main_module 'missing.js'");
    const missing = await rejectionOf(() => cf.put(scriptPath(t, "nobody", "/content"), { body: workerForm({ main_module: "index.js" }) }));
    expect(missing.errors[0].code).toBe(10007);
  });
});

describe("settings and bindings", () => {
  const settingsFile = (settings: unknown) => new File([JSON.stringify(settings)], "settings.json", { type: "application/json" });

  it("GET …/settings answers the configuration (secret values omitted)", async () => {
    await uploadModule(t, "s", {
      compatibility_flags: ["nodejs_compat"],
      bindings: [
        { type: "secret_text", name: "API_KEY", text: "s3cr3t" },
        { type: "service", name: "AUTH", service: "auth-worker", environment: "production" },
      ],
      tags: ["a"],
      logpush: true,
      limits: { cpu_ms: 100, subrequests: 20 },
      tail_consumers: [{ service: "tail" }],
    });
    await expect(scripts().settings.get("s", params())).resolves.toEqual({
      bindings: [
        { type: "secret_text", name: "API_KEY" },
        { type: "service", name: "AUTH", service: "auth-worker", environment: "production" },
      ],
      compatibility_date: "2024-09-23",
      compatibility_flags: ["nodejs_compat"],
      limits: { cpu_ms: 100, subrequests: 20 },
      logpush: true,
      tags: ["a"],
      tail_consumers: [{ service: "tail" }],
      usage_model: "standard",
    });
  });

  it("PATCH …/settings (one `settings` JSON part) changes the given fields only", async () => {
    const up = await uploadModule(t, "p", {
      tags: ["a"],
      compatibility_flags: ["f1"],
      bindings: [{ type: "plain_text", name: "V", text: "1" }],
    });
    const edited = await scripts().settings.edit("p", {
      ...params(),
      settings: settingsFile({ logpush: true, limits: { cpu_ms: 30 } }) as any,
    });
    expect(edited).toMatchObject({ logpush: true, limits: { cpu_ms: 30 }, tags: ["a"], compatibility_flags: ["f1"] });
    expect(edited.bindings).toEqual([{ type: "plain_text", name: "V", text: "1" }]);
    const after = emu.state.script(NS, "p")!;
    expect(after.etag).toBe(up.etag);
    expect(after.modified_on > up.modified_on!).toBe(true);

    // Bindings given → replaced (validated like an upload); tags null → cleared.
    await scripts().settings.edit("p", {
      ...params(),
      settings: settingsFile({ bindings: [{ type: "json", name: "CFG", json: { a: 1 } }], tags: null }) as any,
    });
    await expect(scripts().settings.get("p", params())).resolves.toMatchObject({
      bindings: [{ type: "json", name: "CFG", json: { a: 1 } }],
      tags: [],
      logpush: true,
    });
  });

  it("PATCH …/settings also takes a JSON body ({ settings } or the settings object) [INF]", async () => {
    await uploadModule(t, "j");
    await cf.patch(scriptPath(t, "j", "/settings"), { body: { settings: { usage_model: "unbound" } } });
    await cf.patch(scriptPath(t, "j", "/settings"), { body: { compatibility_date: "2024-01-01" } });
    expect(emu.state.script(NS, "j")).toMatchObject({ usage_model: "unbound", compatibility_date: "2024-01-01" });
  });

  it("PATCH …/settings validates fields and bindings like an upload (400 / 10021)", async () => {
    await uploadModule(t, "v");
    const cases: Array<[unknown, string]> = [
      [{ usage_model: "premium" }, "usage_model"],
      [{ limits: { cpu_ms: 0 } }, "limits.cpu_ms"],
      [{ bindings: [{ type: "kv_namespace", name: "KV" }] }, "binding KV of type kv_namespace must have a valid `namespace_id` specified"],
      [{ bindings: [{ type: "nope", name: "X" }] }, "unknown binding type 'nope'"],
      [{ tags: ["a&b"] }, "tags[0]"],
    ];
    for (const [settings, needle] of cases) {
      const err = await rejectionOf(() => scripts().settings.edit("v", { ...params(), settings: settingsFile(settings) as any }));
      expect(err.status).toBe(400);
      expect(err.errors[0].code).toBe(10021);
      expect(err.errors[0].message).toContain(needle);
    }
    expect(emu.state.script(NS, "v")).toMatchObject({ usage_model: "standard", tags: [], bindings: [] });
  });

  it("PATCH …/settings keeps a secret when asked with an `inherit` binding, drops it otherwise", async () => {
    await uploadModule(t, "inh", { bindings: [{ type: "secret_text", name: "TOKEN", text: "abc" }] });
    await scripts().settings.edit("inh", {
      ...params(),
      settings: settingsFile({ bindings: [{ type: "inherit", name: "TOKEN" }] }) as any,
    });
    expect(emu.state.script(NS, "inh")!.bindings).toEqual([{ type: "secret_text", name: "TOKEN", text: "abc" }]);
    await scripts().settings.edit("inh", { ...params(), settings: settingsFile({ bindings: [] }) as any });
    expect(emu.state.script(NS, "inh")!.bindings).toEqual([]);
  });

  it("GET …/bindings answers the bindings as a SinglePage, secrets without their value", async () => {
    const bindings = [
      { type: "secret_text", name: "S", text: "hidden-value" },
      { type: "d1", name: "DB", id: "db-id" },
      {
        type: "dispatch_namespace",
        name: "DISPATCHER",
        namespace: "other",
        outbound: { worker: { service: "outbound" }, params: [{ name: "customer" }] },
      },
    ];
    await uploadModule(t, "b", { bindings });
    const page = await scripts().bindings.get("b", params());
    expect(page.result).toEqual([{ type: "secret_text", name: "S" }, bindings[1], bindings[2]]);
    const missing = await rejectionOf(() => scripts().bindings.get("nobody", params()));
    expect(missing.errors[0].code).toBe(10007);
  });
});

describe("secrets", () => {
  const sec = () => scripts().secrets;

  it("put / list / get / delete, answering { name, type } only", async () => {
    await uploadModule(t, "w");
    await expect(sec().update("w", { ...params(), name: "API_KEY", text: "k-1", type: "secret_text" })).resolves.toEqual({
      name: "API_KEY",
      type: "secret_text",
    });
    await sec().update("w", { ...params(), name: "OTHER", text: "o", type: "secret_text" });
    await sec().update("w", { ...params(), name: "API_KEY", text: "k-2", type: "secret_text" }); // replace
    expect((await sec().list("w", params())).result).toEqual([
      { name: "API_KEY", type: "secret_text" },
      { name: "OTHER", type: "secret_text" },
    ]);
    await expect(sec().get("API_KEY", { ...params(), script_name: "w" })).resolves.toEqual({ name: "API_KEY", type: "secret_text" });
    expect(emu.state.script(NS, "w")!.bindings).toEqual([
      { name: "API_KEY", text: "k-2", type: "secret_text" },
      { name: "OTHER", text: "o", type: "secret_text" },
    ]);

    await expect(sec().delete("OTHER", { ...params(), script_name: "w" })).resolves.toBeNull();
    const gone = await rejectionOf(() => sec().get("OTHER", { ...params(), script_name: "w" }));
    expect(gone).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(gone.errors[0]).toEqual({ code: 10056, message: "Secret 'OTHER' was not found on this Worker." });
    expect((await rejectionOf(() => sec().delete("OTHER", { ...params(), script_name: "w" }))).errors[0].code).toBe(10056);
  });

  it("a secret cannot take the name of a non-secret binding (400 / 10053); secrets need a secret type and a text", async () => {
    await uploadModule(t, "w", { bindings: [{ type: "plain_text", name: "TAKEN", text: "x" }] });
    const clash = await rejectionOf(() => sec().update("w", { ...params(), name: "TAKEN", text: "s", type: "secret_text" }));
    expect(clash).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(clash.errors[0]).toEqual({
      code: 10053,
      message: "Binding name 'TAKEN' already in use. Please use a different name and try again.",
    });
    // A non-secret binding is not a secret: get/delete by that name are 404.
    expect((await rejectionOf(() => sec().get("TAKEN", { ...params(), script_name: "w" }))).status).toBe(404);

    const wrongType = await rejectionOf(() => sec().update("w", { ...params(), name: "X", text: "s", type: "plain_text" } as any));
    expect(wrongType.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("'secret_text' or 'secret_key'") });
    const noText = await rejectionOf(() => sec().update("w", { ...params(), name: "X", type: "secret_text" } as any));
    expect(noText.errors[0]).toMatchObject({ code: 10021, message: "binding X of type secret_text must have a valid `text` specified" });
    expect(emu.state.script(NS, "w")!.bindings).toHaveLength(1);
  });

  it("supports secret_key secrets (key material never returned)", async () => {
    await uploadModule(t, "w");
    const key = {
      algorithm: { name: "HMAC", hash: "SHA-256" },
      format: "raw",
      usages: ["sign", "verify"],
      key_base64: "c2VjcmV0LWtleQ==",
    } as const;
    const res = await sec().update("w", { ...params(), name: "SIGNING", type: "secret_key", ...key } as any);
    expect(res).toEqual({ name: "SIGNING", type: "secret_key", algorithm: key.algorithm, format: "raw", usages: ["sign", "verify"] });
    expect((await scripts().bindings.get("w", params())).result).toEqual([res]);
  });

  it("secrets-bulk is a merge patch: objects set, null deletes, others stay", async () => {
    await uploadModule(t, "w");
    await sec().update("w", { ...params(), name: "KEEP", text: "k", type: "secret_text" });
    await sec().update("w", { ...params(), name: "DROP", text: "d", type: "secret_text" });
    const res = await sec().bulkUpdate("w", {
      ...params(),
      secrets: { NEW: { name: "NEW", text: "n", type: "secret_text" }, DROP: null, ABSENT: null },
      version_tags: { reason: "rotate" },
    });
    expect(res).toEqual({ KEEP: { name: "KEEP", type: "secret_text" }, NEW: { name: "NEW", type: "secret_text" } });
    expect(emu.state.script(NS, "w")!.bindings.map((b) => [b.name, b.text])).toEqual([
      ["KEEP", "k"],
      ["NEW", "n"],
    ]);
    const mismatch = await rejectionOf(() =>
      sec().bulkUpdate("w", { ...params(), secrets: { A: { name: "B", text: "x", type: "secret_text" } } }),
    );
    expect(mismatch.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("secrets.A") });
  });

  it("?url_encoded=true decodes the secret name once more", async () => {
    await uploadModule(t, "w");
    await sec().update("w", { ...params(), name: "a/b", text: "x", type: "secret_text" });
    await expect(sec().get(encodeURIComponent("a/b"), { ...params(), script_name: "w", url_encoded: true })).resolves.toEqual({
      name: "a/b",
      type: "secret_text",
    });
  });

  it("secret endpoints of a missing script are 404 / 10007", async () => {
    const err = await rejectionOf(() => sec().list("nobody", params()));
    expect(err.errors[0].code).toBe(10007);
  });
});

describe("tags", () => {
  const tags = () => scripts().tags;

  it("list, replace (PUT array), add one (PUT …/tags/:tag), delete one", async () => {
    await uploadModule(t, "w", { tags: ["a"] });
    expect((await tags().list("w", params())).result).toEqual(["a"]);
    expect((await tags().update("w", { ...params(), body: ["x", "y"] })).result).toEqual(["x", "y"]);
    const added = await cf.put<EnvelopeOf<null>>(scriptPath(t, "w", "/tags/z"));
    expect(added).toMatchObject({ success: true, result: null });
    await cf.put(scriptPath(t, "w", "/tags/z")); // idempotent
    expect((await tags().list("w", params())).result).toEqual(["x", "y", "z"]);
    await expect(tags().delete("y", { ...params(), script_name: "w" })).resolves.toBeNull();
    await expect(tags().delete("never-there", { ...params(), script_name: "w" })).resolves.toBeNull();
    expect(emu.state.script(NS, "w")!.tags).toEqual(["x", "z"]);
    expect((await tags().update("w", { ...params(), body: null })).result).toEqual([]);
  });

  it("enforces the tag rules: at most 8, no ',' or '&' (400 / 10021)", async () => {
    await uploadModule(t, "w");
    const nine = Array.from({ length: 9 }, (_, i) => `t${i}`);
    const tooMany = await rejectionOf(() => tags().update("w", { ...params(), body: nine }));
    expect(tooMany.errors[0]).toEqual({ code: 10021, message: "tags: a Worker can have at most 8 tags, got 9" });
    for (const bad of ["a,b", "a&b"]) {
      const err = await rejectionOf(() => tags().update("w", { ...params(), body: [bad] }));
      expect(err.errors[0]).toEqual({ code: 10021, message: `tags[0]: tag '${bad}' must not contain ',' or '&'` });
    }
    await tags().update("w", { ...params(), body: nine.slice(0, 8) });
    const ninth = await rejectionOf(() => cf.put(scriptPath(t, "w", "/tags/one-more")));
    expect(ninth.errors[0].code).toBe(10021);
    const comma = await rejectionOf(() => cf.put(scriptPath(t, "w", `/tags/${encodeURIComponent("x,y")}`)));
    expect(comma.errors[0].message).toContain("must not contain");
    expect(emu.state.script(NS, "w")!.tags).toHaveLength(8);
  });
});

describe("list scripts in a namespace (raw call)", () => {
  type Item = { created_on: string; modified_on: string; dispatch_namespace: string; script: { id: string; tags: string[] } };
  type ListEnvelope = EnvelopeOf<Item[]> & { result_info: { cursor: string; count: number } };
  const list = (query: Record<string, unknown> = {}) => cf.get<ListEnvelope>(scriptPath(t), { query });

  beforeEach(async () => {
    for (const [name, tagsOf] of [
      ["e", ["prod"]],
      ["c", ["customer-1", "prod"]],
      ["a", ["customer-1"]],
      ["d", []],
      ["b", ["customer-2"]],
    ] as const) {
      await uploadModule(t, name, { tags: [...tagsOf] });
    }
  });

  it("answers { created_on, modified_on, dispatch_namespace, script } items ordered by name", async () => {
    const res = await list();
    expect(res.result.map((i) => i.script.id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(res.result_info).toEqual({ cursor: "", count: 5 });
    expect(res.result[0]).toEqual(await scripts().get("a", params()));
  });

  it("pages with limit + cursor; the cursor is non-empty only while more remain", async () => {
    const seen: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...res.result.map((i) => i.script.id));
      expect(res.result_info.count).toBe(res.result.length);
      cursor = res.result_info.cursor;
      cursors.push(cursor);
    } while (cursor);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(cursors.map((c) => c !== "")).toEqual([true, true, false]);
    expect((await list({ limit: 5 })).result_info.cursor).toBe("");
    expect((await list({ limit: 5000 })).result).toHaveLength(5); // capped at 1000
  });

  it("does not skip a script when the last one of a page is deleted before the next page", async () => {
    const first = await list({ limit: 2 });
    await scripts().delete("b", params());
    const next = await list({ limit: 2, cursor: first.result_info.cursor });
    expect(next.result.map((i) => i.script.id)).toEqual(["c", "d"]);
  });

  it("filters by tags (name:yes / name:no, comma-separated)", async () => {
    const ids = async (tags: string) => (await list({ tags })).result.map((i) => i.script.id);
    expect(await ids("customer-1:yes")).toEqual(["a", "c"]);
    expect(await ids("prod:yes,customer-1:no")).toEqual(["e"]);
    expect(await ids("prod:no")).toEqual(["a", "b", "d"]);
    const paged = await list({ tags: "prod:no", limit: 2 });
    expect(paged.result.map((i) => i.script.id)).toEqual(["a", "b"]);
    expect(paged.result_info.cursor).not.toBe("");
  });

  it("refuses a malformed tag filter, cursor or limit with 400 / 10021", async () => {
    for (const query of [{ tags: "prod" }, { tags: "prod:maybe" }, { cursor: "garbage" }, { limit: 0 }, { limit: "ten" }]) {
      const err = await rejectionOf(() => list(query));
      expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
      expect(err.errors[0].code).toBe(10021);
    }
  });
});

describe("delete scripts by tags (raw call)", () => {
  it("deletes the matching scripts and answers { deleted: [{ id }], deleted_count, has_more }", async () => {
    await uploadModule(t, "x1", { tags: ["customer-123"] });
    await uploadModule(t, "x2", { tags: ["customer-123", "prod"] });
    await uploadModule(t, "y1", { tags: ["customer-999"] });
    const res = await cf.delete<EnvelopeOf<unknown>>(scriptPath(t), { query: { tags: "customer-123:yes" } });
    expect(res.result).toEqual({ deleted: [{ id: "x1" }, { id: "x2" }], deleted_count: 2, has_more: false });
    expect(emu.state.scripts(NS).map((s) => s.name)).toEqual(["y1"]);
    expect((await namespaceOf()).script_count).toBe(1);
    const none = await cf.delete<EnvelopeOf<unknown>>(scriptPath(t), { query: { tags: "customer-123:yes" } });
    expect(none.result).toEqual({ deleted: [], deleted_count: 0, has_more: false });
  });

  it("deletes at most `limit` of them (by name) and says whether more remain", async () => {
    for (const name of ["a1", "a2", "a3"]) await uploadModule(t, name, { tags: ["fleet"] });
    await uploadModule(t, "keep", { tags: ["other"] });
    const first = await cf.delete<EnvelopeOf<unknown>>(scriptPath(t), { query: { tags: "fleet:yes", limit: 2 } });
    expect(first.result).toEqual({ deleted: [{ id: "a1" }, { id: "a2" }], deleted_count: 2, has_more: true });
    const rest = await cf.delete<EnvelopeOf<unknown>>(scriptPath(t), { query: { tags: "fleet:yes", limit: 2 } });
    expect(rest.result).toEqual({ deleted: [{ id: "a3" }], deleted_count: 1, has_more: false });
    expect(emu.state.scripts(NS).map((s) => s.name)).toEqual(["keep"]);
  });

  it("requires a tags filter (never deletes everything by accident)", async () => {
    await uploadModule(t, "safe");
    const err = await rejectionOf(() => cf.delete(scriptPath(t)));
    expect(err.status).toBe(400);
    expect(err.errors[0].message).toContain("'tags' query parameter");
    expect(emu.state.scripts(NS)).toHaveLength(1);
  });
});

describe("secret values never leave the emulator", () => {
  it("no response body of any endpoint contains a secret value", async () => {
    const bodies: string[] = [];
    const spy = new Cloudflare({
      apiToken: emu.apiToken,
      baseURL: emu.url,
      maxRetries: 0,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        bodies.push(await res.clone().text());
        return res;
      },
    });
    const s = spy.workersForPlatforms.dispatch.namespaces.scripts;
    const p = { account_id, dispatch_namespace: NS };
    const st: Target = { cf: spy, account_id, namespace: NS };
    const SECRET_A = "very-secret-value-A";
    const SECRET_B = "very-secret-value-B";
    const SECRET_C = "very-secret-value-C";

    await upload(
      st,
      "w",
      workerForm({
        main_module: "index.js",
        bindings: [{ type: "secret_text", name: "A", text: SECRET_A }],
        keep_bindings: ["secret_text"],
      }),
    );
    await s.secrets.update("w", { ...p, name: "B", text: SECRET_B, type: "secret_text" });
    await s.secrets.bulkUpdate("w", { ...p, secrets: { C: { name: "C", text: SECRET_C, type: "secret_text" } } });
    await upload(st, "w", workerForm({ main_module: "index.js", keep_bindings: ["secret_text"] }));
    await s.get("w", p);
    await s.settings.get("w", p);
    await s.settings.edit("w", {
      ...p,
      settings: new File([JSON.stringify({ logpush: true })], "s.json", { type: "application/json" }) as any,
    });
    await s.bindings.get("w", p);
    await s.secrets.list("w", p);
    await s.secrets.get("A", { ...p, script_name: "w" });
    await s.content.get("w", p);
    await spy.get(scriptPath(st));
    await s.tags.list("w", p);
    await rejectionOf(() => s.secrets.update("w", { ...p, name: "A", text: SECRET_A, type: "nope" } as any));

    expect(bodies.length).toBeGreaterThanOrEqual(14);
    for (const body of bodies) {
      for (const secret of [SECRET_A, SECRET_B, SECRET_C]) expect(body).not.toContain(secret);
    }
    // They are stored, though (kept across the second upload by keep_bindings).
    expect(emu.state.script(NS, "w")!.bindings.map((b) => b.text)).toEqual([SECRET_A, SECRET_B, SECRET_C]);
  });
});

describe("namespace cascade, faults and persistence", () => {
  it("deleting the namespace deletes its scripts", async () => {
    await uploadModule(t, "one");
    await uploadModule(t, "two");
    await cf.workersForPlatforms.dispatch.namespaces.delete(NS, { account_id });
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: NS });
    expect((await namespaceOf()).script_count).toBe(0);
    expect(emu.state.scripts(NS)).toEqual([]);
    expect((await rejectionOf(() => scripts().get("one", params()))).errors[0].code).toBe(10092);
  });

  it("an upload into a just-created namespace is 404 / 100119 until the namespace is visible", async () => {
    emu.faults.setVisibilityDelay(300);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "fresh" });
    const ft = { ...t, namespace: "fresh" };
    const err = await rejectionOf(() => uploadModule(ft, "w"));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0].code).toBe(100119);
    expect(emu.state.scripts("fresh")).toEqual([]);
    await sleep(320);
    await expect(uploadModule(ft, "w")).resolves.toMatchObject({ id: "w" });
  });

  it("injected statuses and dropped connections apply to script routes", async () => {
    emu.faults.failNext(503, { method: "PUT", path: "/scripts/w$" });
    await expect(upload({ ...t, cf: sdk(emu, { maxRetries: 1 }) }, "w", workerForm({ main_module: "index.js" }))).resolves.toMatchObject({
      id: "w",
    });
    expect(emu.requests.filter({ method: "PUT" }).map((e) => e.status)).toEqual([503, 200]);

    emu.faults.dropNext({ method: "PUT", path: "/scripts/late$", afterApply: true });
    const err = await rejectionOf(() => uploadModule({ ...t, cf: sdk(emu, { maxRetries: 0 }) }, "late"));
    expect(err).toBeInstanceOf(Cloudflare.APIConnectionError);
    expect(emu.state.script(NS, "late")).toBeDefined(); // applied although the client never heard back

    // With SDK retries the re-sent upload simply lands again (an upload is an idempotent upsert).
    emu.faults.dropNext({ method: "PUT", path: "/scripts/again$", afterApply: true });
    await expect(uploadModule(t, "again")).resolves.toMatchObject({ id: "again" });
    expect(emu.requests.filter({ path: /\/scripts\/again$/ }).map((e) => e.status)).toEqual([null, 200]);
  });

  it("keeps scripts (code bytes, metadata, secrets) across a restart with a data directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-scripts-"));
    try {
      const wasm = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 0xff, 0x80]);
      const first = await startEmulator({ dataDir: dir });
      const c1 = sdk(first);
      await c1.workersForPlatforms.dispatch.namespaces.create({ account_id: first.accountId, name: NS });
      const t1 = { cf: c1, account_id: first.accountId, namespace: NS };
      const metadata = {
        main_module: "index.js",
        bindings: [{ type: "secret_text", name: "S", text: "persisted-secret" }],
        tags: ["keep"],
      };
      const up = await upload(
        t1,
        "durable",
        workerForm(metadata, { "index.js": HELLO, "m.wasm": { code: wasm, type: "application/wasm" } }),
      );
      const before = first.state.script(NS, "durable")!;
      await first.close();
      expect(fs.readFileSync(path.join(dir, "state.journal"), "utf8")).toContain(Buffer.from(wasm).toString("base64"));

      const second = await startEmulator({ dataDir: dir });
      try {
        const c2 = sdk(second).workersForPlatforms.dispatch.namespaces;
        const p2 = { account_id: second.accountId, dispatch_namespace: NS };
        const got = await c2.scripts.get("durable", p2);
        const { startup_time_ms: _s, ...script } = up;
        expect(got.script).toEqual(script);
        expect((await c2.get(NS, { account_id: second.accountId })).script_count).toBe(1);
        const form = await (await c2.scripts.content.get("durable", p2)).formData();
        expect(new Uint8Array(await (form.get("m.wasm") as File).arrayBuffer())).toEqual(wasm);
        expect(second.state.script(NS, "durable")).toEqual(before);
        // The metadata is recorded without the secret's value; the binding keeps it (sealed on disk).
        expect(second.state.script(NS, "durable")!.metadata).toEqual({ ...metadata, bindings: [{ type: "secret_text", name: "S" }] });
        expect(second.state.script(NS, "durable")!.bindings).toEqual(metadata.bindings);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("raw answers", () => {
  it("JSON endpoints answer the envelope with application/json; content answers multipart", async () => {
    await uploadModule(t, "r");
    const json = await rawFetch(emu, "GET", scriptPath(t, "r", "/settings"));
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.json).toMatchObject({ success: true, errors: [], messages: [] });
    const content = await rawFetch(emu, "GET", scriptPath(t, "r", "/content"));
    expect(content.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(content.text).toContain('Content-Disposition: form-data; name="index.js"; filename="index.js"');
    expect(emu.requests.filter({ path: /\/content$/ })[0]).toMatchObject({ status: 200 });
  });
});
