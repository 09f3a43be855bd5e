/**
 * The NamespacedWorkerScript provider's decisions, called directly against the emulator (no engine):
 * what check refuses and fills in, what diff calls an update or a replacement, what one upload
 * carries, and how read and delete treat what Cloudflare has.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type {
  NamespacedWorkerScriptInputs as Inputs,
  NamespacedWorkerScriptOutputs as Outputs,
} from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const NS = "tenants";
const HELLO = 'export default { fetch() { return new Response("hello") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const provider = namespacedWorkerScriptResource(context);
beforeEach(async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  emu.requests.clear();
});

const writes = () => emu.requests.writes().map((w) => `${w.method} ${w.path}`);
const scriptPath = (namespace: string) => `/accounts/${emu.accountId}/workers/dispatch/namespaces/${namespace}/scripts/tenant-a`;

function inputs(extra: Partial<Inputs> = {}): Inputs {
  return { namespace: NS, scriptName: "tenant-a", content: HELLO, ...extra };
}

async function checked(extra: Partial<Inputs> = {}): Promise<Inputs> {
  const result = await provider.check({}, inputs(extra));
  expect(result.failures).toBeUndefined();
  return result.inputs as Inputs;
}

async function created(extra: Partial<Inputs> = {}): Promise<{ news: Inputs; outs: Outputs }> {
  const news = await checked(extra);
  const { outs } = await provider.create(news);
  return { news, outs: outs as Outputs };
}

describe("check", () => {
  it("fills in the content hash and the account, so a code change is visible to diff at preview", async () => {
    const news = await checked();
    expect(news.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(news.accountId).toBe(emu.accountId);
    const other = await checked({ content: HELLO.replace("hello", "bye") });
    expect(other.contentHash).not.toBe(news.contentHash);
  });

  it.each<[string, Partial<Inputs>, string, RegExp]>([
    ["both content and entrypoint", { entrypoint: "x.ts" }, "entrypoint", /exactly one of content .* or entrypoint/],
    ["neither content nor entrypoint", { content: undefined }, "content", /exactly one of content/],
    ["a bad script name", { scriptName: "Tenant A" }, "scriptName", /'Tenant A' must be 1-63 characters/],
    ["a bad namespace name", { namespace: "NS!" }, "namespace", /must be 1-63 characters/],
    ["a malformed compatibility date", { compatibilityDate: "2024-1-1" }, "compatibilityDate", /YYYY-MM-DD/],
    ["an impossible compatibility date", { compatibilityDate: "2024-02-30" }, "compatibilityDate", /not a calendar date/],
    ["a compatibility date in the future", { compatibilityDate: "2999-01-01" }, "compatibilityDate", /in the future/],
    ["compatibility flags that are not strings", { compatibilityFlags: [1] as never }, "compatibilityFlags", /list of non-empty strings/],
    ["nine tags", { tags: ["1", "2", "3", "4", "5", "6", "7", "8", "9"] }, "tags", /at most 8 tags/],
    ["a tag with a comma", { tags: ["a,b"] }, "tags", /may not contain ','/],
    ["a CPU limit of zero", { limits: { cpuMs: 0 } }, "limits", /limits.cpuMs must be a whole number/],
    ["an unknown usage model", { usageModel: "premium" as never }, "usageModel", /one of standard, bundled, unbound/],
    [
      "an unknown binding type",
      { bindings: { X: { type: "telepathy" } as never } },
      "bindings",
      /bindings.X: unknown binding type "telepathy"/,
    ],
    [
      "a KV binding without an id",
      { bindings: { KV: { type: "kv_namespace" } as never } },
      "bindings",
      /'kv_namespace' binding needs 'namespace_id'/,
    ],
    [
      "a binding name that is not an identifier",
      { bindings: { "my-var": { type: "plain_text", text: "x" } } },
      "bindings",
      /JavaScript identifiers/,
    ],
    [
      "a name bound as plain and as secret",
      { bindings: { K: { type: "plain_text", text: "x" } }, secretBindings: { K: { type: "secret_text", text: "y" } } },
      "bindings",
      /'K' is used twice/,
    ],
    ["keepBindings with an unknown type", { keepBindings: ["nope"] as never }, "keepBindings", /list of binding types/],
  ])("refuses %s, naming the property, before any request", async (_what, extra, property, reason) => {
    const result = await provider.check({}, inputs(extra));
    expect(result.failures).toEqual(expect.arrayContaining([{ property, reason: expect.stringMatching(reason) }]));
    // Input rules are checked before credentials and account: a typo fails the same offline.
    expect(emu.requests.count()).toBe(0);
  });

  it("shows the esbuild error of an entrypoint that does not build, on the entrypoint property", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfp-check-"));
    fs.writeFileSync(path.join(dir, "broken.ts"), "export default { fetch( { }");
    const result = await provider.check({}, inputs({ content: undefined, entrypoint: path.join(dir, "broken.ts") }));
    expect(result.failures).toEqual([
      { property: "entrypoint", reason: expect.stringMatching(/bundling .*broken.ts failed: .*broken.ts:1:\d+: /) },
    ]);
  });

  it("refuses inline content that is not a valid ES module, naming the line and column, before any request", async () => {
    const result = await provider.check({}, inputs({ content: 'export default {\n  fetch() { return new Response("x" }\n}' }));
    expect(result.failures).toEqual([
      {
        property: "content",
        reason: expect.stringMatching(/^content is not a valid ES module: line 2, column 37: Expected "\)" but found "}"/),
      },
    ]);
    expect(emu.requests.writes()).toEqual([]);
  });

  it("accepts what only an ES module may say: imports, exports and top-level await", async () => {
    const result = await provider.check(
      {},
      inputs({
        content:
          'import { connect } from "cloudflare:sockets";\nconst ready = await Promise.resolve(1);\nexport default { fetch() { return new Response(String(ready)) } }',
      }),
    );
    expect(result.failures).toBeUndefined();
  });

  it("names a missing entrypoint file", async () => {
    const result = await provider.check({}, inputs({ content: undefined, entrypoint: "/nowhere/worker.ts" }));
    expect(result.failures).toEqual([{ property: "entrypoint", reason: expect.stringContaining("/nowhere/worker.ts") }]);
  });

  it("refuses code larger than Cloudflare's 10 MiB upload limit", async () => {
    const result = await provider.check({}, inputs({ content: `export default {}; // ${"x".repeat(10 * 1024 * 1024)}` }));
    expect(result.failures).toEqual([
      { property: "content", reason: expect.stringMatching(/Cloudflare accepts at most 10485760 \(10 MiB\)/) },
    ]);
  });

  it("leaves the content hash out while the code is unknown (preview of computed content)", async () => {
    const result = await provider.check({}, inputs({ content: UNKNOWN }));
    expect(result.failures).toBeUndefined();
    expect((result.inputs as Inputs).contentHash).toBeUndefined();
  });
});

describe("create", () => {
  it("uploads code, bindings, compatibility, tags and limits in one multipart request", async () => {
    const { outs } = await created({
      compatibilityDate: "2024-09-23",
      compatibilityFlags: ["nodejs_compat"],
      tags: ["customer-a", "plan-pro"],
      limits: { cpuMs: 50 },
      bindings: { GREETING: { type: "plain_text", text: "hi" }, CONFIG: { type: "json", json: { plan: "pro" } } },
      secretBindings: { API_KEY: { type: "secret_text", text: "s3cret" } },
    });
    const writes = emu.requests.writes();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PUT /accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/tenant-a`,
    ]);

    const stored = emu.state.script(NS, "tenant-a")!;
    expect(stored.metadata).toEqual({
      main_module: "index.js",
      bindings: [
        { name: "CONFIG", type: "json", json: { plan: "pro" } },
        { name: "GREETING", type: "plain_text", text: "hi" },
        { name: "API_KEY", type: "secret_text" },
      ],
      compatibility_date: "2024-09-23",
      compatibility_flags: ["nodejs_compat"],
      tags: ["customer-a", "plan-pro"],
      limits: { cpu_ms: 50 },
    });
    // The emulator records the metadata without secret values; the binding holds the value sent.
    expect(stored.bindings).toContainEqual({ name: "API_KEY", type: "secret_text", text: "s3cret" });
    expect(stored.parts.map((p) => [p.name, p.content_type])).toEqual([
      ["metadata", "application/json"],
      ["index.js", "application/javascript+module"],
    ]);
    expect(outs).toMatchObject({
      etag: stored.etag,
      handlers: ["fetch"],
      tags: ["customer-a", "plan-pro"],
      scriptName: "tenant-a",
      namespace: NS,
    });
    expect(outs).not.toHaveProperty("content"); // the code is an input already; state keeps it once
  });

  it("fails with Cloudflare's answer and the namespace to fix when the namespace does not exist", async () => {
    const news = await checked({ namespace: "missing-ns" });
    await expect(provider.create(news)).rejects.toThrow(
      /uploading worker script 'tenant-a' in dispatch namespace 'missing-ns'.*100119.*does not exist: create it first/,
    );
  });

  it("takes over an existing script on import, keeping configuration the program does not declare", async () => {
    await created({ bindings: { GREETING: { type: "plain_text", text: "from before" } }, tags: ["old"] });
    emu.requests.clear();
    const news = await checked({ importFrom: `${NS}/tenant-a`, content: HELLO.replace("hello", "adopted") });
    const { outs } = await provider.create(news);
    expect((emu.state.script(NS, "tenant-a")!.metadata as { bindings: unknown }).bindings).toEqual([
      { name: "GREETING", type: "plain_text", text: "from before" },
    ]);
    expect(emu.state.script(NS, "tenant-a")!.modules[0].text).toContain("adopted");
    expect((outs as Outputs).inherited).toEqual(["compatibilityDate", "bindings", "tags"]);
    // The next diff does not try to remove what the import kept.
    expect((await provider.diff("id", outs as Outputs, news)).changes).toBe(false);
  });

  it("refuses at preview to import a script that does not exist, naming it", async () => {
    const result = await provider.check({}, inputs({ importFrom: `${NS}/tenant-a` }));
    expect(result.failures).toEqual([
      {
        property: "import",
        reason: expect.stringMatching(
          /the import option names worker script 'tenant-a' in dispatch namespace 'tenants', which does not exist/,
        ),
      },
    ]);
  });

  it("still refuses at up an import whose script vanished after the preview", async () => {
    const news = { ...(await checked()), importFrom: `${NS}/tenant-a` };
    await expect(provider.create(news)).rejects.toThrow(/importing worker script 'tenant-a' .*no such script/);
  });
});

describe("camelCase at every depth", () => {
  const observability = { enabled: true, headSamplingRate: 0.25, logs: { enabled: true, invocationLogs: true } };

  it("uploads placement and observability in Cloudflare's snake_case, and reads them back as the program spells them", async () => {
    const { outs } = await created({ observability, placement: { mode: "smart" } });
    const sent = emu.state.script(NS, "tenant-a")!.metadata as Record<string, unknown>;
    expect(sent.observability).toEqual({ enabled: true, head_sampling_rate: 0.25, logs: { enabled: true, invocation_logs: true } });
    // Changed outside Pulumi: refresh reports it in the program's spelling.
    const read = await provider.read("tenant-a", { ...outs, modifiedOn: "before" });
    expect(read.props).toMatchObject({ observability, placement: { mode: "smart" } });
  });

  it("diffs state written in Cloudflare's spelling by an earlier version as unchanged", async () => {
    const { news, outs } = await created({ observability });
    const earlier = {
      ...outs,
      observability: { enabled: true, head_sampling_rate: 0.25, logs: { enabled: true, invocation_logs: true } },
    } as unknown as Outputs;
    expect((await provider.diff("id", earlier, news)).changes).toBe(false);
  });
});

describe("diff", () => {
  it("is clean when nothing changed, and for absent versus empty lists", async () => {
    const { news, outs } = await created({ tags: [] });
    expect(await provider.diff("id", outs, { ...news, tags: undefined })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each<[string, Partial<Inputs>]>([
    ["code", { content: HELLO.replace("hello", "hola") }],
    ["bindings", { bindings: { X: { type: "plain_text", text: "1" } } }],
    ["secret bindings", { secretBindings: { X: { type: "secret_text", text: "1" } } }],
    ["compatibility date", { compatibilityDate: "2024-01-01" }],
    ["compatibility flags", { compatibilityFlags: ["nodejs_compat"] }],
    ["tags", { tags: ["t"] }],
    ["limits", { limits: { cpuMs: 10 } }],
  ])("updates in place when the %s change", async (_what, extra) => {
    const { outs } = await created();
    const news = await checked(extra);
    expect(await provider.diff("id", outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces the script when its name changes", async () => {
    const { outs } = await created();
    const news = { ...(await checked()), scriptName: "tenant-b" };
    expect((await provider.diff("id", outs, news)).replaces).toEqual(["scriptName"]);
  });

  it("updates in place when the namespace changes (a rename, or a move)", async () => {
    const { outs } = await created();
    const news = { ...(await checked()), namespace: "elsewhere" };
    expect(await provider.diff("id", outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("reports a change when the code is unknown at preview", async () => {
    const { outs } = await created();
    const news = (await provider.check({}, inputs({ content: UNKNOWN }))).inputs as Inputs;
    expect((await provider.diff("id", outs, news)).changes).toBe(true);
  });
});

describe("update", () => {
  it("re-uploads once with the new code", async () => {
    const { outs } = await created();
    emu.requests.clear();
    const news = await checked({ content: HELLO.replace("hello", "hola") });
    const { outs: after } = await provider.update("id", outs, news);
    expect(emu.requests.writes()).toHaveLength(1);
    expect(emu.state.script(NS, "tenant-a")!.modules[0].text).toContain("hola");
    expect((after as Outputs).contentHash).toBe(news.contentHash);
  });

  it("moves the script to another namespace: upload there first, then delete here", async () => {
    const { outs } = await created({ namespaceId: "id-of-tenants" });
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "elsewhere" });
    emu.requests.clear();
    const news = await checked({ namespace: "elsewhere", namespaceId: "id-of-elsewhere" });
    await provider.update("id", outs, news);
    expect(writes()).toEqual([`PUT ${scriptPath("elsewhere")}`, `DELETE ${scriptPath(NS)}`]);
    expect(emu.state.script("elsewhere", "tenant-a")).toBeDefined();
    expect(emu.state.script(NS, "tenant-a")).toBeUndefined();
  });

  it("uploads again into a namespace re-created under the same name (a new namespace id), deleting nothing", async () => {
    const { outs } = await created({ namespaceId: "id-of-tenants" });
    emu.requests.clear();
    const news = await checked({ namespaceId: "id-of-new-tenants" });
    expect((await provider.diff("id", outs, news)).changes).toBe(true);
    await provider.update("id", outs, news);
    expect(writes()).toEqual([`PUT ${scriptPath(NS)}`]);
    expect(emu.state.script(NS, "tenant-a")).toBeDefined();
  });

  it("makes no request when the namespace was only renamed (same namespace id): its scripts went with it", async () => {
    const { outs } = await created({ namespaceId: "id-of-tenants" });
    emu.requests.clear();
    const news = await checked({ namespace: "renamed", namespaceId: "id-of-tenants" });
    const { outs: after } = await provider.update("id", outs, news);
    expect(emu.requests.count()).toBe(0);
    expect(after).toMatchObject({ namespace: "renamed", etag: outs.etag });
  });

  it("changes tags alone with the tags call: no code is sent, and the script keeps its etag", async () => {
    const { outs } = await created({ tags: ["plan-free"] });
    emu.requests.clear();
    const news = await checked({ tags: ["plan-pro", "eu"] });
    const { outs: after } = await provider.update("id", outs, news);
    expect(writes()).toEqual([`PUT ${scriptPath(NS)}/tags`]);
    expect(emu.requests.writes()[0].body).toEqual(["plan-pro", "eu"]);
    expect(emu.state.script(NS, "tenant-a")!.tags).toEqual(["plan-pro", "eu"]);
    expect(after).toMatchObject({ tags: ["plan-pro", "eu"], etag: outs.etag });
    expect((await provider.read("id", after as Outputs)).props.driftedEtag).toBeUndefined();
  });

  it("rotates one secret with that secret's call alone, and removes a dropped one with its own", async () => {
    const secretBindings = { API_KEY: { type: "secret_text" as const, text: "old" }, LEGACY: { type: "secret_text" as const, text: "x" } };
    const { outs } = await created({ secretBindings });
    emu.requests.clear();
    const news = await checked({ secretBindings: { API_KEY: { type: "secret_text", text: "rotated" } } });
    await provider.update("id", outs, news);
    expect(writes()).toEqual([`PUT ${scriptPath(NS)}/secrets`, `DELETE ${scriptPath(NS)}/secrets/LEGACY`]);
    expect(emu.requests.writes()[0].body).toMatchObject({ name: "API_KEY", type: "secret_text" });
    const bindings = emu.state.script(NS, "tenant-a")!.bindings;
    expect(bindings.map((b) => b.name)).toEqual(["API_KEY"]);
    expect(bindings[0]).toMatchObject({ type: "secret_text", text: "rotated" });
  });

  it("keeps a dropped secret whose kind is in keepBindings, as an upload would", async () => {
    const secretBindings = { API_KEY: { type: "secret_text" as const, text: "key" }, LEGACY: { type: "secret_text" as const, text: "x" } };
    const { outs } = await created({ secretBindings, keepBindings: ["secret_text"] });
    emu.requests.clear();
    await provider.update(
      "id",
      outs,
      await checked({ secretBindings: { API_KEY: secretBindings.API_KEY }, keepBindings: ["secret_text"] }),
    );
    expect(writes()).toEqual([]);
    expect(emu.state.script(NS, "tenant-a")!.bindings.map((b) => b.name)).toEqual(["API_KEY", "LEGACY"]);
  });

  it("still uploads once when tags change together with anything else", async () => {
    const { outs } = await created({ tags: ["a"] });
    emu.requests.clear();
    await provider.update("id", outs, await checked({ tags: ["b"], bindings: { PLAN: { type: "plain_text", text: "pro" } } }));
    expect(writes()).toEqual([`PUT ${scriptPath(NS)}`]);
  });

  it("makes no request when only bookkeeping inputs changed", async () => {
    const { news, outs } = await created();
    emu.requests.clear();
    await provider.update("id", outs, { ...news, apiToken: emu.apiToken });
    expect(emu.requests.count()).toBe(0);
  });
});

describe("read", () => {
  it("costs one GET when nothing changed outside Pulumi", async () => {
    const { outs } = await created();
    emu.requests.clear();
    const result = await provider.read("id", outs);
    expect(emu.requests.count()).toBe(1);
    expect(result.props).toEqual(outs);
  });

  it("records code re-uploaded outside Pulumi in its own field, and the next update restores this program's code", async () => {
    const { news, outs } = await created();
    const { outs: theirs } = await provider.create({ ...news, content: HELLO.replace("hello", "changed") }); // someone else's upload
    const result = await provider.read("id", outs);
    expect(result.props.driftedEtag).toBe((theirs as Outputs).etag);
    expect(result.props.contentHash).toBe(outs.contentHash); // still what it says: the hash of this program's code
    expect((await provider.diff("id", result.props, news)).changes).toBe(true);
    const { outs: restored } = await provider.update("id", result.props, news);
    expect((restored as Outputs).driftedEtag).toBeUndefined();
    expect(emu.state.script(NS, "tenant-a")!.modules[0].text).toBe(HELLO);
  });

  it("reports settings changed outside Pulumi", async () => {
    const { news, outs } = await created({ tags: ["a"], bindings: { GREETING: { type: "plain_text", text: "hi" } } });
    await provider.create({ ...news, tags: ["b"], bindings: { GREETING: { type: "plain_text", text: "changed" } } });
    const result = await provider.read("id", outs);
    expect(result.props).toMatchObject({ tags: ["b"], bindings: { GREETING: { type: "plain_text", text: "changed" } } });
    expect(result.inputs).toMatchObject({ tags: ["b"] });
  });

  it("returns nothing for a script deleted outside Pulumi, and for a deleted namespace", async () => {
    const { outs } = await created();
    await sdk(emu).workersForPlatforms.dispatch.namespaces.scripts.delete("tenant-a", {
      account_id: emu.accountId,
      dispatch_namespace: NS,
    });
    expect(await provider.read("id", outs)).toEqual({});
    await sdk(emu).workersForPlatforms.dispatch.namespaces.delete(NS, { account_id: emu.accountId });
    expect(await provider.read("id", outs)).toEqual({});
  });
});

describe("delete", () => {
  it("deletes the script, and succeeds when it or its namespace is already gone", async () => {
    const { outs } = await created();
    await provider.remove("id", outs);
    expect(emu.state.script(NS, "tenant-a")).toBeUndefined();
    await expect(provider.remove("id", outs)).resolves.toBeUndefined();
    await sdk(emu).workersForPlatforms.dispatch.namespaces.delete(NS, { account_id: emu.accountId });
    await expect(provider.remove("id", outs)).resolves.toBeUndefined();
  });
});
