/**
 * How the emulator validates a Worker upload, as Cloudflare's API does: the broken encodings of
 * the plain SDK v7 methods (SOURCES.md §3.4), the wire format, script names, entry points,
 * module types, metadata fields, bindings, tags, limits, size, keep_bindings / inherit. Every
 * refusal is checked for its HTTP status, Cloudflare code and a message naming the offending field,
 * and for leaving the stored script untouched.
 */
import Cloudflare from "cloudflare";
import { MAX_SCRIPT_SIZE_BYTES, startEmulator, type Emulator } from "../../emulator";
import { rejectionOf, sdk } from "./helpers";
import {
  CLASSIC,
  ESM,
  HELLO,
  isoDate,
  rawFetch,
  scriptPath,
  upload,
  uploadModule,
  workerForm,
  type ModuleSpec,
  type Target,
} from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
let t: Target;
const NS = "validation";
const scripts = () => cf.workersForPlatforms.dispatch.namespaces.scripts;
const params = () => ({ account_id, dispatch_namespace: NS });

beforeAll(async () => {
  emu = await startEmulator();
  cf = sdk(emu, { maxRetries: 2 });
  account_id = emu.accountId;
  t = { cf, account_id, namespace: NS };
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.reset();
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: NS });
});

/** Uploads and expects a refusal; returns the first error item. Also checks nothing was stored and the SDK did not retry. */
async function refused(name: string, form: FormData | (() => Promise<unknown>), status = 400): Promise<{ code: number; message: string }> {
  const before = emu.requests.count();
  const err = await rejectionOf(typeof form === "function" ? form : () => upload(t, name, form));
  expect(err).toBeInstanceOf(Cloudflare.APIError);
  expect(err.status).toBe(status);
  expect(err.errors).toHaveLength(1);
  expect(emu.requests.count() - before).toBe(1);
  expect(emu.state.script(NS, name)).toBeUndefined();
  return err.errors[0];
}

/** A module upload of `meta` (main_module index.js unless overridden) expected to fail with 400 / 10021; returns the message. */
async function invalidMetadata(meta: Record<string, unknown>, modules?: Record<string, ModuleSpec>): Promise<string> {
  const error = await refused("w", workerForm({ main_module: "index.js", ...meta }, modules));
  expect(error.code).toBe(10021);
  return error.message;
}

describe("what the plain SDK v7 methods send is refused, like the real API does", () => {
  const files = () => [new File([HELLO], "index.js", { type: ESM })];

  it("scripts.update with metadata + files (multipart labelled application/javascript) → 400 / 10021 syntax error at worker.js:1:4", async () => {
    const error = await refused("v7", () =>
      scripts().update("v7", { ...params(), metadata: { main_module: "index.js", compatibility_date: "2024-09-23" }, files: files() }),
    );
    expect(error).toEqual({
      code: 10021,
      message: "Uncaught SyntaxError: Invalid left-hand side expression in prefix operation\n  at worker.js:1:4",
    });
  });

  it("scripts.update with metadata only (a JSON body labelled application/javascript) → 400 / 10021 syntax error", async () => {
    const error = await refused("v7", () => scripts().update("v7", { ...params(), metadata: { main_module: "index.js" } }));
    expect(error).toEqual({ code: 10021, message: "Uncaught SyntaxError: Unexpected token ':'\n  at worker.js:1:11" });
  });

  it("the bracket encoding with a correct multipart Content-Type → 400 / 10021 naming the field", async () => {
    const form = new FormData();
    form.append("metadata[main_module]", "index.js");
    form.append("files[]", files()[0]);
    const error = await refused("brackets", form);
    expect(error.code).toBe(10021);
    expect(error.message).toContain("Unexpected form field 'metadata[main_module]'");

    const onlyFiles = workerForm({ main_module: "index.js" }, {});
    onlyFiles.append("files[]", files()[0]);
    expect((await refused("brackets", onlyFiles)).message).toContain("'files[]'");
  });

  it("content.update and settings.edit with their own encoding → 400 / 10021", async () => {
    await uploadModule(t, "w", { tags: ["kept"] });
    const content = await rejectionOf(() =>
      scripts().content.update("w", { ...params(), metadata: { main_module: "index.js" }, files: files() }),
    );
    expect(content.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("'metadata[main_module]'") });
    const settings = await rejectionOf(() =>
      scripts().settings.edit("w", { ...params(), settings: { tags: ["a"], limits: { cpu_ms: 50 } } }),
    );
    expect(settings.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("'settings[tags][]'") });
    expect(emu.state.script(NS, "w")!.tags).toEqual(["kept"]);
  });

  it("typed content.update / settings.edit with a FormData `body` override send an EMPTY form (the SDK rebuilds it) → 400 / 10021", async () => {
    await uploadModule(t, "w");
    const settingsForm = new FormData();
    settingsForm.append("settings", new Blob([JSON.stringify({ logpush: true })], { type: "application/json" }));
    const settings = await rejectionOf(() =>
      scripts().settings.edit("w", params(), { body: settingsForm, headers: { "Content-Type": null } }),
    );
    expect(settings.errors[0]).toEqual({
      code: 10021,
      message: "A settings PATCH takes exactly one part named 'settings' holding JSON; got 0.",
    });
    const content = await rejectionOf(() =>
      scripts().content.update(
        "w",
        { ...params(), metadata: {} },
        { body: workerForm({ main_module: "index.js" }), headers: { "Content-Type": null } },
      ),
    );
    expect(content.errors[0].code).toBe(10021);
    expect(content.errors[0].message).toContain("main_module");
    expect(emu.state.script(NS, "w")!.logpush).toBe(false);
  });
});

describe("wire format", () => {
  it("a plain application/javascript body must compile as a service worker (message gives file:line:column)", async () => {
    const res = await rawFetch(emu, "PUT", scriptPath(t, "sw"), {
      body: "addEventListener('fetch', () => {});\nlet x = ;\n",
      headers: { "content-type": "application/javascript" },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ code: 10021, message: "Uncaught SyntaxError: Unexpected token ';'\n  at worker.js:2:8" }]);
    // An ES module is not a service worker.
    const esm = await rawFetch(emu, "PUT", scriptPath(t, "sw"), { body: HELLO, headers: { "content-type": "application/javascript" } });
    expect(esm.json.errors[0].message).toMatch(/^Uncaught SyntaxError: Unexpected token 'export'\n {2}at worker\.js:1:0$/);
    expect(emu.state.script(NS, "sw")).toBeUndefined();
  });

  it("refuses other Content-Types and unparseable multipart bodies with 400 / 10021", async () => {
    const json = await rawFetch(emu, "PUT", scriptPath(t, "x"), {
      body: '{"main_module":"index.js"}',
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(400);
    expect(json.json.errors[0]).toMatchObject({
      code: 10021,
      message: expect.stringContaining("Unsupported Content-Type 'application/json'"),
    });
    const noBoundary = await rawFetch(emu, "PUT", scriptPath(t, "x"), {
      body: "--x\r\n",
      headers: { "content-type": "multipart/form-data" },
    });
    expect(noBoundary.json.errors[0].message).toContain("Could not parse the multipart/form-data body");
    const truncated = await rawFetch(emu, "PUT", scriptPath(t, "x"), {
      body: '--b\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{}',
      headers: { "content-type": "multipart/form-data; boundary=b" },
    });
    expect(truncated.json.errors[0]).toMatchObject({ code: 10021, message: expect.stringContaining("closing boundary") });
    expect(emu.state.scripts(NS)).toEqual([]);
  });

  it("needs exactly one `metadata` part holding a JSON object", async () => {
    const noMeta = new FormData();
    noMeta.append("index.js", new File([HELLO], "index.js", { type: ESM }));
    expect((await refused("m", noMeta)).message).toContain("no 'metadata' part");

    const badJson = new FormData();
    badJson.append("metadata", new Blob(["{ nope"], { type: "application/json" }));
    badJson.append("index.js", new File([HELLO], "index.js", { type: ESM }));
    expect((await refused("m", badJson)).message).toMatch(/^The 'metadata' part is not valid JSON: /);

    expect((await refused("m", workerForm(["main_module"]))).message).toBe("The 'metadata' part must hold a JSON object");

    const twice = workerForm({ main_module: "index.js" });
    twice.append("metadata", JSON.stringify({ main_module: "index.js" }));
    expect((await refused("m", twice)).message).toContain("2 parts named 'metadata'");
  });

  it("parses quoted parameters, RFC 5987 filenames and preamble text", async () => {
    const body = [
      "preamble to ignore",
      "--XyZ",
      'Content-Disposition: form-data; name="metadata"',
      "",
      JSON.stringify({ main_module: "naïve module.js" }),
      "--XyZ",
      `Content-Disposition: form-data; name="mod"; filename="fallback.js"; filename*=UTF-8''na%C3%AFve%20module.js`,
      "Content-Type: application/javascript+module; charset=utf-8",
      "",
      HELLO,
      "--XyZ--",
      "",
    ].join("\r\n");
    const res = await rawFetch(emu, "PUT", scriptPath(t, "rfc"), {
      body,
      headers: { "content-type": 'multipart/form-data; boundary="XyZ"' },
    });
    expect(res.status).toBe(200);
    expect(emu.state.script(NS, "rfc")!.modules[0]).toMatchObject({ name: "naïve module.js", part_name: "mod", text: HELLO });
  });
});

describe("script names (400 / 10016)", () => {
  it.each(["Upper", "-dash-first", "_underscore", "has space", "dot.ted", "ü", "a".repeat(64)])("refuses %j", async (name) => {
    const error = await refused(name, workerForm({ main_module: "index.js" }));
    expect(error.code).toBe(10016);
    expect(error.message).toContain(`Invalid Worker name '${name}'`);
    expect(error.message).toContain("1-63 characters");
  });

  it.each(["a", "9", "tenant_1-prod", "a".repeat(63)])("accepts %j", async (name) => {
    await expect(upload(t, name, workerForm({ main_module: "index.js" }))).resolves.toMatchObject({ id: name });
  });
});

describe("entry point and modules (400 / 10021)", () => {
  it("main_module must name an uploaded part", async () => {
    const msg = await invalidMetadata({ main_module: "src/index.js" }, { "index.js": HELLO, "lib.js": "export {}" });
    expect(msg).toBe("main_module 'src/index.js' does not name an uploaded part (uploaded: index.js, lib.js).");
  });

  it("body_part must name an uploaded part", async () => {
    const msg = await invalidMetadata({ main_module: undefined, body_part: "worker.js" }, { "script.js": { code: "1;", type: CLASSIC } });
    expect(msg).toBe("body_part 'worker.js' does not name an uploaded part (uploaded: script.js).");
  });

  it("one of main_module / body_part is required, not both, and it is a string", async () => {
    expect(await invalidMetadata({ main_module: undefined })).toContain("main_module (ES modules) or body_part");
    expect(await invalidMetadata({ body_part: "index.js" })).toContain("both main_module and body_part");
    expect(await invalidMetadata({ main_module: 42 })).toBe("main_module must be a non-empty string");
    expect(await invalidMetadata({}, {})).toContain("the upload has no module parts");
  });

  it("the main module must be an ES module or Python; a body part a classic script", async () => {
    expect(await invalidMetadata({}, { "index.js": { code: HELLO, type: "text/plain" } })).toContain(
      "main_module 'index.js' must be an ES module (Content-Type application/javascript+module or text/javascript+module) or Python",
    );
    expect(await invalidMetadata({ main_module: undefined, body_part: "index.js" })).toContain(
      "body_part 'index.js' must be a service-worker script (Content-Type application/javascript or text/javascript); it was sent as 'application/javascript+module'",
    );
  });

  it("module Content-Types come from the documented table", async () => {
    expect(
      await invalidMetadata({}, { "index.js": HELLO, "x.ts": { code: "let a: number = 1", type: "application/typescript" } }),
    ).toContain("Module 'x.ts' has an unsupported Content-Type 'application/typescript'");
    const all: Record<string, ModuleSpec> = {
      "index.js": { code: HELLO, type: "text/javascript+module" },
      "cjs.js": { code: "module.exports = 1;", type: "application/javascript" },
      "classic.js": { code: "var x;", type: "text/javascript; charset=utf-8" },
      "mod.py": { code: "print(1)", type: "text/x-python" },
      "requirements.txt": { code: "fastapi", type: "text/x-python-requirement" },
      "add.wasm": { code: Uint8Array.from([0, 97, 115, 109]), type: "application/wasm" },
      "notes.txt": { code: "text", type: "text/plain" },
      "data.bin": { code: Uint8Array.from([1, 2, 3]), type: "application/octet-stream" },
      "index.js.map": { code: "{}", type: "application/source-map" },
    };
    await upload(t, "all-types", workerForm({ main_module: "index.js" }, all));
    expect(emu.state.script(NS, "all-types")!.modules.map((m) => m.name)).toEqual(Object.keys(all));
    await expect(
      upload(t, "py", workerForm({ main_module: "mod.py" }, { "mod.py": { code: "print(1)", type: "text/x-python" } })),
    ).resolves.toMatchObject({
      has_modules: true,
    });
  });

  it("module names must be unique", async () => {
    expect(await invalidMetadata({}, { "index.js": HELLO, dup: { code: "export {}", filename: "index.js", part: "other" } })).toBe(
      "Duplicate module name 'index.js': every module part needs its own filename.",
    );
  });

  it("a service-worker upload has one JS part that compiles; wasm/text/data go through part bindings", async () => {
    const two = {
      "worker.js": { code: "addEventListener('fetch', () => {});", type: CLASSIC },
      "more.js": { code: "var y;", type: CLASSIC },
    };
    expect(await invalidMetadata({ main_module: undefined, body_part: "worker.js" }, two)).toContain(
      "exactly one JavaScript part; 'more.js'",
    );

    const broken = { "worker.js": { code: "addEventListener('fetch', () => {}", type: CLASSIC } };
    expect(await invalidMetadata({ main_module: undefined, body_part: "worker.js" }, broken)).toMatch(
      /^Uncaught SyntaxError: .*\n {2}at worker\.js:1:\d+$/,
    );

    const withWasm = {
      "worker.js": { code: "addEventListener('fetch', (e) => e.respondWith(new Response(String(typeof WASM))));", type: CLASSIC },
      "add.wasm": { code: Uint8Array.from([0, 97, 115, 109]), type: "application/wasm" },
    };
    expect(
      await invalidMetadata(
        { main_module: undefined, body_part: "worker.js", bindings: [{ type: "wasm_module", name: "WASM", part: "missing.wasm" }] },
        withWasm,
      ),
    ).toBe("binding WASM of type wasm_module references the part 'missing.wasm', which was not uploaded");
    await expect(
      upload(
        t,
        "sw",
        workerForm({ body_part: "worker.js", bindings: [{ type: "wasm_module", name: "WASM", part: "add.wasm" }] }, withWasm),
      ),
    ).resolves.toMatchObject({ has_modules: false, handlers: ["fetch"] });
  });

  it(`refuses modules over ${MAX_SCRIPT_SIZE_BYTES} bytes in total with 400 / 10027`, async () => {
    const half = "x".repeat(MAX_SCRIPT_SIZE_BYTES / 2);
    const error = await refused(
      "big",
      workerForm(
        { main_module: "index.js" },
        { "index.js": HELLO, "a.txt": { code: half, type: "text/plain" }, "b.txt": { code: half, type: "text/plain" } },
      ),
    );
    expect(error.code).toBe(10027);
    expect(error.message).toContain("workers.api.error.script_too_large");
    expect(error.message).toContain(String(MAX_SCRIPT_SIZE_BYTES + Buffer.byteLength(HELLO)));
    // Exactly at the limit is fine.
    const exact = "y".repeat(MAX_SCRIPT_SIZE_BYTES - Buffer.byteLength(HELLO));
    await expect(
      upload(t, "at-limit", workerForm({ main_module: "index.js" }, { "index.js": HELLO, "c.txt": { code: exact, type: "text/plain" } })),
    ).resolves.toMatchObject({
      id: "at-limit",
    });
    // Two 10 MiB uploads through the emulator: 3 to 4 s on a busy 2-core machine, too near jest's default 5 s.
  }, 30_000);
});

describe("metadata fields (400 / 10021, message names the field)", () => {
  it("compatibility_date: YYYY-MM-DD, a real date, not in the future", async () => {
    expect(await invalidMetadata({ compatibility_date: "2024-1-01" })).toBe(
      'compatibility_date must be a date in the form YYYY-MM-DD, got "2024-1-01"',
    );
    expect(await invalidMetadata({ compatibility_date: 20240101 })).toBe(
      "compatibility_date must be a date in the form YYYY-MM-DD, got 20240101",
    );
    expect(await invalidMetadata({ compatibility_date: "2023-02-29" })).toBe(
      "compatibility_date '2023-02-29' is not a valid calendar date",
    );
    const future = isoDate(2);
    expect(await invalidMetadata({ compatibility_date: future })).toContain(`compatibility_date '${future}' is in the future`);
    await expect(uploadModule(t, "today", { compatibility_date: isoDate(0) })).resolves.toMatchObject({ compatibility_date: isoDate(0) });
    await expect(uploadModule(t, "leap", { compatibility_date: "2024-02-29" })).resolves.toMatchObject({
      compatibility_date: "2024-02-29",
    });
  });

  it("compatibility_flags: an array of strings", async () => {
    expect(await invalidMetadata({ compatibility_flags: "nodejs_compat" })).toBe(
      "compatibility_flags must be an array of non-empty strings",
    );
    expect(await invalidMetadata({ compatibility_flags: ["ok", 3] })).toBe("compatibility_flags must be an array of non-empty strings");
  });

  it("tags: at most 8, strings without ',' or '&'", async () => {
    expect(await invalidMetadata({ tags: Array.from({ length: 9 }, (_, i) => `t${i}`) })).toBe(
      "tags: a Worker can have at most 8 tags, got 9",
    );
    expect(await invalidMetadata({ tags: ["ok", "a,b"] })).toBe("tags[1]: tag 'a,b' must not contain ',' or '&'");
    expect(await invalidMetadata({ tags: ["a&b"] })).toBe("tags[0]: tag 'a&b' must not contain ',' or '&'");
    expect(await invalidMetadata({ tags: [1] })).toBe("tags[0]: every tag must be a non-empty string");
    expect(await invalidMetadata({ tags: "a" })).toBe("tags must be an array of strings");
    await expect(uploadModule(t, "eight", { tags: Array.from({ length: 8 }, (_, i) => `t${i}`) })).resolves.toMatchObject({ id: "eight" });
  });

  it("limits.cpu_ms: a positive integer", async () => {
    for (const cpu_ms of [0, -5, 1.5, "50", 300_001]) {
      expect(await invalidMetadata({ limits: { cpu_ms } })).toContain("limits.cpu_ms must be a positive integer");
    }
    expect(await invalidMetadata({ limits: 50 })).toBe("limits must be an object");
    expect(await invalidMetadata({ limits: { subrequests: 0 } })).toContain("limits.subrequests");
    await uploadModule(t, "cpu", { limits: { cpu_ms: 50, subrequests: 10 } });
    expect(emu.state.script(NS, "cpu")!.limits).toEqual({ cpu_ms: 50, subrequests: 10 });
  });

  it("usage_model: standard | bundled | unbound", async () => {
    expect(await invalidMetadata({ usage_model: "premium" })).toBe('usage_model must be one of standard, bundled, unbound, got "premium"');
    for (const usage_model of ["standard", "bundled", "unbound"]) {
      await expect(uploadModule(t, `um-${usage_model}`, { usage_model })).resolves.toMatchObject({ usage_model });
    }
  });

  it("placement / observability / logpush / tail_consumers / keep_bindings / assets have the right types", async () => {
    expect(await invalidMetadata({ placement: "smart" })).toBe("placement must be an object");
    expect(await invalidMetadata({ observability: true })).toBe("observability must be an object");
    expect(await invalidMetadata({ observability: { enabled: "yes" } })).toBe("observability.enabled must be a boolean");
    expect(await invalidMetadata({ logpush: "true" })).toBe("logpush must be a boolean");
    expect(await invalidMetadata({ tail_consumers: [{ environment: "x" }] })).toBe(
      "tail_consumers[0] must be an object with a string 'service'",
    );
    expect(await invalidMetadata({ keep_bindings: "secret_text" })).toContain("keep_bindings must be an array");
    expect(await invalidMetadata({ assets: { jwt: "" } })).toBe("assets.jwt must be a non-empty string");
    expect(await invalidMetadata({ assets: { jwt: "not-a-completion-token" } })).toContain("assets.jwt is not a valid completion token");
  });

  it("a refused upload leaves the previous version in place", async () => {
    const good = await uploadModule(t, "stable", { tags: ["v1"] });
    const err = await rejectionOf(() => uploadModule(t, "stable", { tags: ["v2"], usage_model: "nope" }));
    expect(err.errors[0].code).toBe(10021);
    expect(emu.state.script(NS, "stable")).toMatchObject({ tags: ["v1"], etag: good.etag, modified_on: good.modified_on });
  });
});

describe("bindings (400 / 10021)", () => {
  /** A valid example of every known binding type, and the field whose absence must be refused ("" = none required). */
  const table: Array<[Record<string, unknown>, string]> = [
    [{ type: "plain_text", name: "PT", text: "hello" }, "text"],
    [{ type: "json", name: "JS", json: { a: [1, 2] } }, "json"],
    [{ type: "secret_text", name: "ST", text: "s" }, "text"],
    [
      { type: "secret_key", name: "SK", algorithm: { name: "HMAC", hash: "SHA-256" }, format: "raw", usages: ["sign"], key_base64: "a2V5" },
      "key_base64",
    ],
    [{ type: "kv_namespace", name: "KV", namespace_id: "abc" }, "namespace_id"],
    [{ type: "r2_bucket", name: "R2", bucket_name: "b", jurisdiction: "eu" }, "bucket_name"],
    [{ type: "d1", name: "DB", database_id: "db" }, "database_id"],
    [{ type: "service", name: "SVC", service: "auth", environment: "production", entrypoint: "Api" }, "service"],
    [
      {
        type: "dispatch_namespace",
        name: "DISPATCHER",
        namespace: "tenants",
        outbound: { worker: { service: "out" }, params: [{ name: "p" }] },
      },
      "namespace",
    ],
    [{ type: "durable_object_namespace", name: "DO", class_name: "Counter", script_name: "other" }, "class_name"],
    [{ type: "queue", name: "Q", queue_name: "jobs" }, "queue_name"],
    [{ type: "analytics_engine", name: "AE", dataset: "events" }, "dataset"],
    [{ type: "hyperdrive", name: "HD", id: "hd" }, "id"],
    [{ type: "vectorize", name: "VEC", index_name: "idx" }, "index_name"],
    [{ type: "mtls_certificate", name: "CERT", certificate_id: "c" }, "certificate_id"],
    [{ type: "workflow", name: "WF", workflow_name: "wf", class_name: "MyWorkflow" }, "workflow_name"],
    [{ type: "ratelimit", name: "RL", namespace_id: "1001", simple: { limit: 100, period: 60 } }, "namespace_id"],
    [{ type: "secrets_store_secret", name: "SS", store_id: "store", secret_name: "name" }, "store_id"],
    [{ type: "pipelines", name: "PIPE", pipeline: "p" }, "pipeline"],
    [{ type: "send_email", name: "MAIL", destination_address: "a@example.com", allowed_sender_addresses: ["b@example.com"] }, ""],
    [{ type: "ai_search", name: "AIS", instance_name: "i" }, "instance_name"],
    [{ type: "ai_search_namespace", name: "AISN", namespace: "n" }, "namespace"],
    [{ type: "messaging", name: "MSG", namespace: "n" }, "namespace"],
    [{ type: "artifacts", name: "ART", namespace: "n" }, "namespace"],
    [{ type: "k2", name: "K2", stream: "s" }, "stream"],
    [{ type: "flagship", name: "FLAG", app_id: "a" }, "app_id"],
    [{ type: "vpc_service", name: "VPCS", service_id: "s" }, "service_id"],
    [{ type: "vpc_network", name: "VPCN", tunnel_id: "t" }, "tunnel_id"],
    [{ type: "assets", name: "ASSETS" }, ""],
    [{ type: "ai", name: "AI" }, ""],
    [{ type: "browser", name: "BROWSER" }, ""],
    [{ type: "images", name: "IMAGES" }, ""],
    [{ type: "media", name: "MEDIA" }, ""],
    [{ type: "version_metadata", name: "VERSION" }, ""],
  ];

  it("accepts a valid binding of every known type, stored as sent", async () => {
    const bindings = table.map(([b]) => b);
    await uploadModule(t, "all", { bindings });
    expect(emu.state.script(NS, "all")!.bindings).toEqual(bindings);
  });

  it.each(table.filter(([, field]) => field !== "").map(([b, field]) => [b.type as string, b, field] as const))(
    "%s without its required field is refused, naming the binding and the field",
    async (type, binding, field) => {
      const { [field]: _dropped, ...rest } = binding;
      const msg = await invalidMetadata({ bindings: [rest] });
      const expectedField = type === "d1" ? "id" : field; // Cloudflare names `id` for d1 (wrangler friendly-validator-errors)
      expect(msg).toBe(`binding ${binding.name} of type ${type} must have a valid \`${expectedField}\` specified`);
    },
  );

  it("required fields must have the right type; optional ones too", async () => {
    expect(await invalidMetadata({ bindings: [{ type: "plain_text", name: "T", text: 5 }] })).toBe(
      "binding T of type plain_text must have a valid `text` specified",
    );
    expect(await invalidMetadata({ bindings: [{ type: "kv_namespace", name: "KV", namespace_id: "" }] })).toContain("`namespace_id`");
    expect(await invalidMetadata({ bindings: [{ type: "r2_bucket", name: "R2", bucket_name: "b", jurisdiction: "mars" }] })).toBe(
      "binding R2 of type r2_bucket has an invalid `jurisdiction`: expected one of eu, fedramp, fedramp-high, us",
    );
    expect(await invalidMetadata({ bindings: [{ type: "service", name: "S", service: "x", environment: 1 }] })).toBe(
      "binding S of type service has an invalid `environment`: expected a string",
    );
    expect(
      await invalidMetadata({ bindings: [{ type: "dispatch_namespace", name: "D", namespace: "n", outbound: { params: [{}] } }] }),
    ).toContain("`outbound.params`");
    expect(await invalidMetadata({ bindings: [{ type: "ratelimit", name: "RL", namespace_id: "1", simple: { limit: 10 } }] })).toContain(
      "`simple.period`",
    );
    expect(await invalidMetadata({ bindings: [{ type: "secret_key", name: "K", algorithm: {}, format: "pem", usages: [] }] })).toContain(
      "`format`",
    );
  });

  it("d1 takes `id` or `database_id`; durable objects take class_name or namespace_id", async () => {
    await uploadModule(t, "d1", {
      bindings: [
        { type: "d1", name: "A", id: "legacy" },
        { type: "d1", name: "B", database_id: "new" },
        { type: "durable_object_namespace", name: "C", namespace_id: "ns-id" },
      ],
    });
    expect(emu.state.script(NS, "d1")!.bindings).toHaveLength(3);
  });

  it("unknown types, duplicate names, missing names and non-arrays are refused", async () => {
    expect(await invalidMetadata({ bindings: [{ type: "teleporter", name: "X" }] })).toBe(
      "bindings[0]: unknown binding type 'teleporter' for binding X",
    );
    expect(
      await invalidMetadata({
        bindings: [
          { type: "plain_text", name: "X", text: "1" },
          { type: "json", name: "X", json: 1 },
        ],
      }),
    ).toBe("bindings[1]: duplicate binding name 'X' (binding names must be unique)");
    expect(await invalidMetadata({ bindings: [{ type: "ai" }] })).toBe("bindings[0]: binding 'name' must be a non-empty string");
    expect(await invalidMetadata({ bindings: [{ name: "X" }] })).toBe("bindings[0]: binding X must have a string 'type'");
    expect(await invalidMetadata({ bindings: ["X"] })).toContain("bindings[0]: each binding must be an object");
    expect(await invalidMetadata({ bindings: { X: {} } })).toBe("bindings must be an array of binding objects");
  });
});

describe("keep_bindings and inherit", () => {
  const v1 = [
    { type: "secret_text", name: "SECRET", text: "s" },
    { type: "plain_text", name: "VAR", text: "v" },
    { type: "kv_namespace", name: "KV", namespace_id: "kv1" },
  ];

  it("an upload replaces the bindings; keep_bindings carries the listed types over", async () => {
    await uploadModule(t, "k", { bindings: v1 });
    await uploadModule(t, "k", { bindings: [{ type: "json", name: "NEW", json: true }], keep_bindings: ["secret_text", "kv_namespace"] });
    expect(emu.state.script(NS, "k")!.bindings).toEqual([{ type: "json", name: "NEW", json: true }, v1[0], v1[2]]);
    await uploadModule(t, "k", { bindings: [{ type: "plain_text", name: "SECRET", text: "now plain" }], keep_bindings: ["secret_text"] });
    expect(emu.state.script(NS, "k")!.bindings).toEqual([{ type: "plain_text", name: "SECRET", text: "now plain" }]); // explicit wins
    await uploadModule(t, "k");
    expect(emu.state.script(NS, "k")!.bindings).toEqual([]);
  });

  it("`inherit` takes a previous binding (optionally under a new name); unresolvable ones are dropped, or refused with bindings_inherit=strict", async () => {
    await uploadModule(t, "i", { bindings: v1 });
    await uploadModule(t, "i", {
      bindings: [
        { type: "inherit", name: "SECRET" },
        { type: "inherit", name: "STORE", old_name: "KV" },
        { type: "inherit", name: "GHOST" },
      ],
    });
    expect(emu.state.script(NS, "i")!.bindings).toEqual([v1[0], { ...v1[2], name: "STORE" }]);

    const err = await rejectionOf(() =>
      upload(t, "i", workerForm({ main_module: "index.js", bindings: [{ type: "inherit", name: "GHOST" }] }), {
        bindings_inherit: "strict",
      }),
    );
    expect(err.status).toBe(400);
    expect(err.errors[0]).toEqual({
      code: 10021,
      message: "binding GHOST of type inherit could not be resolved: the current version has no binding named 'GHOST'",
    });
    expect(emu.requests.entries.at(-1)!.query).toBe("bindings_inherit=strict");
  });
});
