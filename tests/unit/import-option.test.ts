/**
 * The `import` resource option, as the sdk passes it to each provider (`importFrom`): at preview,
 * `check` tells a missing object apart by name before anything is written; an existing script's
 * secrets, limits and tags set outside Pulumi survive the takeover without their values being known.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { providersIn } from "../../provider";
import { UNKNOWN } from "../../provider/framework/unknowns";
import type { NamespacedWorkerScriptOutputs } from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { uploadModule } from "../emulator/script-helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

const NS = "tenants";
const HELLO = 'export default { fetch() { return new Response("hello from pulumi") } }';

describe("at preview (check of a resource not yet in state)", () => {
  beforeEach(async () => {
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  });

  it.each([
    [
      "DispatchNamespace",
      { namespace: "absent-ns", importFrom: "absent-ns" },
      /dispatch namespace 'absent-ns', which does not exist in account/,
    ],
    [
      "KVNamespace",
      { title: "t", importFrom: "0123456789abcdef0123456789abcdef" },
      /KV namespace 0123456789abcdef0123456789abcdef, which does not exist in account/,
    ],
    [
      "NamespacedWorkerScript",
      { namespace: NS, scriptName: "absent", content: HELLO, importFrom: `${NS}/absent` },
      /worker script 'absent' in dispatch namespace 'tenants', which does not exist/,
    ],
    ["WorkerScript", { scriptName: "absent", content: HELLO, importFrom: "absent" }, /worker script 'absent', which does not exist/],
  ] as const)("refuses to import a %s that does not exist, naming it", async (kind, inputs, reason) => {
    const result = await providers[kind].check!({}, inputs);
    expect(result.failures).toEqual([{ property: "import", reason: expect.stringMatching(reason) }]);
  });

  it("accepts the import of objects that exist, and does not look again once the resource is in state", async () => {
    const kv = await sdk(emu).kv.namespaces.create({ account_id: emu.accountId, title: "existing" });
    expect((await providers.DispatchNamespace.check!({}, { namespace: NS, importFrom: NS })).failures).toBeUndefined();
    expect((await providers.KVNamespace.check!({}, { title: "existing", importFrom: kv.id })).failures).toBeUndefined();
    emu.requests.clear();
    const inState = { __provider: "…", namespace: NS, namespaceId: "x" };
    expect((await providers.DispatchNamespace.check!(inState, { namespace: NS, importFrom: "gone-since" })).failures).toEqual([
      { property: "namespace", reason: expect.stringContaining("names a different namespace") },
    ]);
    expect(emu.requests.count({ path: /dispatch\/namespaces\/gone-since/ })).toBe(0);
  });
});

describe("importing a tenant script configured outside Pulumi", () => {
  beforeEach(async () => {
    const cf = sdk(emu);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
    await uploadModule({ cf, account_id: emu.accountId, namespace: NS }, "legacy", {
      bindings: [
        { type: "secret_text", name: "API_KEY", text: "set-with-wrangler" },
        { type: "plain_text", name: "REGION", text: "eu" },
      ],
      tags: ["legacy", "plan-pro"],
      limits: { cpu_ms: 30 },
    });
    emu.requests.clear();
  });

  it("replaces the code and keeps the secret (inherited, never resent), the bindings, tags and limits", async () => {
    const provider = providers.NamespacedWorkerScript;
    const checked = await provider.check!({}, { namespace: NS, scriptName: "legacy", content: HELLO, importFrom: `${NS}/legacy` });
    expect(checked.failures).toBeUndefined();
    const { outs } = await provider.create(checked.inputs);

    const script = emu.state.script(NS, "legacy")!;
    expect(script.modules[0].text).toBe(HELLO);
    expect(script.bindings).toEqual(
      expect.arrayContaining([
        { type: "secret_text", name: "API_KEY", text: "set-with-wrangler" },
        { type: "plain_text", name: "REGION", text: "eu" },
      ]),
    );
    expect(script.tags).toEqual(["legacy", "plan-pro"]);
    expect(script.limits).toEqual({ cpu_ms: 30 });
    const sent = script.metadata as { bindings: unknown[] };
    expect(sent.bindings).toContainEqual({ name: "API_KEY", type: "inherit" });
    expect(JSON.stringify(sent)).not.toContain("set-with-wrangler");

    const state = outs as NamespacedWorkerScriptOutputs;
    expect(state.inherited).toEqual(expect.arrayContaining(["bindings", "secretBindings", "tags", "limits"]));
    expect(state.limits).toEqual({ cpuMs: 30 });
    // A later code change uploads again and still keeps the secret Pulumi never knew.
    const next = await provider.check!(state, { ...checked.inputs, content: HELLO.replace("hello", "hi") });
    await provider.update!("legacy", state, next.inputs);
    expect(emu.state.script(NS, "legacy")!.bindings).toContainEqual({ type: "secret_text", name: "API_KEY", text: "set-with-wrangler" });
  });
});

describe("importing a script the program declares exactly as Cloudflare has it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-unchanged-"));
  const MAIN = 'import { word } from "./lib/word.js";\nexport default { fetch() { return new Response(word) } }';
  const LIB = 'export const word = "hello";';
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    const cf = sdk(emu);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
    const form = new FormData();
    const metadata = {
      main_module: "worker.js",
      compatibility_date: "2025-01-01",
      tags: ["plan-pro"],
      bindings: [{ type: "secret_text", name: "API_KEY", text: "set-with-wrangler" }],
    };
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    form.append("worker.js", new Blob([MAIN], { type: "application/javascript+module" }), "worker.js");
    form.append("lib/word.js", new Blob([LIB], { type: "application/javascript+module" }), "lib/word.js");
    await cf.put(`/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/exact`, { body: form });
    fs.mkdirSync(path.join(dir, "exact", "lib"), { recursive: true });
    fs.writeFileSync(path.join(dir, "exact", "worker.js"), MAIN);
    fs.writeFileSync(path.join(dir, "exact", "lib", "word.js"), LIB);
    emu.requests.clear();
  });

  const declared = () => ({
    namespace: NS,
    scriptName: "exact",
    entrypoint: path.join(dir, "exact", "worker.js"),
    bundle: false,
    compatibilityDate: "2025-01-01",
    tags: ["plan-pro"],
    secretBindings: { API_KEY: { type: "secret_text", text: "set-with-wrangler" } },
    importFrom: `${NS}/exact`,
  });

  it("takes it over without a single write, its outputs Cloudflare's", async () => {
    const provider = providers.NamespacedWorkerScript;
    const checked = await provider.check!({}, declared());
    expect(checked.failures).toBeUndefined();
    const { outs } = await provider.create(checked.inputs);
    expect(emu.requests.writes().length).toBe(0);
    expect(outs.etag).toBe(emu.state.script(NS, "exact")!.etag);
    expect(outs.contentHash).toBe(checked.inputs.contentHash);
  });

  it("uploads once when a module differs, keeping each module's name", async () => {
    fs.writeFileSync(path.join(dir, "exact", "lib", "word.js"), 'export const word = "changed";');
    const provider = providers.NamespacedWorkerScript;
    const checked = await provider.check!({}, declared());
    await provider.create(checked.inputs);
    expect(emu.requests.writes().length).toBe(1);
    expect(emu.state.script(NS, "exact")!.modules.map((m) => [m.name, m.text])).toEqual([
      ["worker.js", MAIN],
      ["lib/word.js", 'export const word = "changed";'],
    ]);
  });

  it("refuses bundle with inline content, and waits for an unknown bundle to know the code", async () => {
    const provider = providers.NamespacedWorkerScript;
    const inline = await provider.check!({}, { namespace: NS, scriptName: "x", content: HELLO, bundle: false });
    expect(inline.failures).toEqual([{ property: "bundle", reason: expect.stringContaining("bundle applies to entrypoint") }]);
    const unknown = await provider.check!({}, { ...declared(), importFrom: undefined, bundle: UNKNOWN });
    expect(unknown.failures).toBeUndefined();
    expect(unknown.inputs.contentHash).toBeUndefined();
  });
});
