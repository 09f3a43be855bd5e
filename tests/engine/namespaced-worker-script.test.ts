/**
 * NamespacedWorkerScript under the real Pulumi engine against the emulator: a namespace and three
 * tenants (inline, bundled from TypeScript, every binding type) through up, preview, refresh and destroy.
 */
import Cloudflare from "cloudflare";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

const API_KEY = "sk_live_tenant_c_4f9a8e7d";
const DB_PASSWORD = "pg-password-93b1c2";

let emu: Emulator;
let cf: Cloudflare; // out of band, like a colleague with wrangler
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator();
  cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url, maxRetries: 0 });
  stack = await TestStack.create({
    program: "tenants",
    env: { ...emu.env },
    config: { namespace: "platform", apiKey: { value: API_KEY, secret: true }, dbPassword: { value: DB_PASSWORD, secret: true } },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

const scriptPath = (name: string) => `/accounts/${emu.accountId}/workers/dispatch/namespaces/platform/scripts/${name}`;
const writes = () => emu.requests.writes().map((r) => `${r.method} ${r.path}`);
const reads = () => emu.requests.entries.filter((r) => r.method === "GET").map((r) => r.path);

describe("a namespace with three tenant scripts", () => {
  it("goes up with one upload per tenant, carrying Cloudflare's documented metadata and module parts", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(writes().sort()).toEqual(
      [
        `POST /accounts/${emu.accountId}/workers/dispatch/namespaces`,
        ...["tenant-a", "tenant-b", "tenant-c"].map((s) => `PUT ${scriptPath(s)}`),
      ].sort(),
    );

    const a = emu.state.script("platform", "tenant-a")!;
    expect(a.metadata).toEqual({
      main_module: "index.js",
      bindings: [],
      compatibility_date: "2024-09-23",
      tags: ["customer-a", "plan-free"],
    });
    expect(a.modules.map((m) => m.name)).toEqual(["index.js"]);
    expect(up.outputs.scripts.value.a).toEqual({
      etag: a.etag,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      handlers: ["fetch"],
      tags: ["customer-a", "plan-free"],
    });

    const b = emu.state.script("platform", "tenant-b")!;
    expect(b.metadata).toEqual({
      main_module: "index.js",
      bindings: [],
      compatibility_date: "2024-09-23",
      compatibility_flags: ["nodejs_compat"],
      limits: { cpu_ms: 50 },
    });
    expect(b.parts.map((p) => [p.name, p.content_type])).toEqual([
      ["metadata", "application/json"],
      ["index.js", "application/javascript+module"],
      ["index.js.map", "application/source-map"],
    ]);
    const bundle = b.modules.find((m) => m.name === "index.js")!.text;
    expect(bundle).toContain("from tenant b v1"); // the helper module, bundled
    expect(bundle).toContain('"pro"'); // the JSON file, inlined
    expect(bundle).toMatch(/export\s*{[^}]*default/);

    const c = emu.state.script("platform", "tenant-c")!;
    expect((c.metadata as { bindings: unknown }).bindings).toEqual([
      { name: "AI", type: "ai" },
      { name: "ANALYTICS", type: "analytics_engine", dataset: "tenant_events" },
      { name: "AUTH", type: "service", service: "auth-worker", environment: "production" },
      { name: "BROWSER", type: "browser" },
      { name: "BUCKET", type: "r2_bucket", bucket_name: "tenant-files", jurisdiction: "eu" },
      { name: "CACHE", type: "kv_namespace", namespace_id: "0f2ac74b498b48028cb68387c421e279" },
      { name: "CONFIG", type: "json", json: { plan: "enterprise", features: ["a", "b"] } },
      { name: "COUNTER", type: "durable_object_namespace", class_name: "Counter", script_name: "counter-worker" },
      { name: "DB", type: "d1", database_id: "a1b2c3d4-0000-4000-8000-000000000001" },
      { name: "FLOW", type: "workflow", workflow_name: "onboarding", class_name: "Onboarding", script_name: "flows" },
      { name: "GREETING", type: "plain_text", text: "hello" },
      { name: "INDEX", type: "vectorize", index_name: "tenant-index" },
      { name: "JOBS", type: "queue", queue_name: "tenant-jobs" },
      { name: "LIMITER", type: "ratelimit", namespace_id: "1001", simple: { limit: 100, period: 60 } },
      {
        name: "OTHER_TENANTS",
        type: "dispatch_namespace",
        namespace: "platform",
        outbound: { worker: { service: "outbound-worker" }, params: [{ name: "customer" }] },
      },
      { name: "PG", type: "hyperdrive", id: "5f8d2e9b6c3a4f1e8d7c6b5a4f3e2d1c" },
      { name: "STRIPE", type: "secrets_store_secret", store_id: "store-1", secret_name: "stripe-key" },
      { name: "VERSION", type: "version_metadata" },
      { name: "API_KEY", type: "secret_text" },
      { name: "DB_PASSWORD", type: "secret_text" },
    ]);
    // The recorded metadata leaves secret values out; the stored bindings hold what was sent.
    expect(c.bindings.filter((b) => b.type === "secret_text")).toEqual([
      { name: "API_KEY", type: "secret_text", text: API_KEY },
      { name: "DB_PASSWORD", type: "secret_text", text: DB_PASSWORD },
    ]);
  });

  it("keeps secret bindings out of state, history and the engine's output in plain text", async () => {
    const backend = stack.allBackendText();
    expect(backend).toContain("tenant-c"); // the state is really there
    expect(backend).not.toContain(API_KEY);
    expect(backend).not.toContain(DB_PASSWORD);
    const preview = await stack.preview();
    expect(preview.output).not.toContain(API_KEY);
    expect(preview.output).not.toContain(DB_PASSWORD);
  });

  it("previews clean and a second up makes no request that writes", async () => {
    emu.requests.clear();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 5 });
    const again = await stack.up();
    expect(again.summary.resourceChanges).toEqual({ same: 5 });
    expect(writes()).toEqual([]);
  });

  it("stores each resource's provider as a require of the installed package, not as code", async () => {
    const { deployment } = await stack.stack.exportStack();
    const dynamic = (
      deployment.resources as Array<{ type: string; inputs: Record<string, string>; outputs: Record<string, string> }>
    ).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic).toHaveLength(4); // the namespace and three tenants
    for (const r of dynamic) {
      const kind = r.type
        .split(":")
        .pop()!
        .replace(/[A-Z]/g, (c, i) => (i ? "-" : "") + c.toLowerCase());
      // The engine keeps this text twice per resource and rewrites the state after every step.
      expect(r.inputs.__provider).toContain(`require("pulumi-cloudflare-wfp/dist/sdk/provider-shims/${kind}.js")`);
      expect(r.inputs.__provider.length).toBeLessThan(400);
      expect(r.outputs.__provider).toBe(r.inputs.__provider);
    }
  });

  it("shows a change to one tenant's bundled helper as an update of that tenant only, then uploads it once", async () => {
    const helper = path.join(stack.dir, "src", "tenant-b", "greet.ts");
    fs.writeFileSync(helper, fs.readFileSync(helper, "utf8").replace("tenant b v1", "tenant b v2"));
    emu.requests.clear();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4, update: 1 });
    expect(preview.output).toMatch(
      /~ .*NamespacedWorkerScript: \(update\)[\s\S]*tenant-b[\s\S]*contentHash\s*:\s*"[0-9a-f]{64}"\s*=>\s*"[0-9a-f]{64}"/,
    );
    expect(writes()).toEqual([]);

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4, update: 1 });
    expect(writes()).toEqual([`PUT ${scriptPath("tenant-b")}`]);
    expect(emu.state.script("platform", "tenant-b")!.modules[0].text).toContain("tenant b v2");
  });

  it("refresh finds code re-uploaded outside Pulumi with one read per script, and the next up restores it", async () => {
    const form = new FormData();
    form.append("metadata", new Blob([JSON.stringify({ main_module: "w.js" })], { type: "application/json" }), "metadata.json");
    form.append(
      "w.js",
      new Blob(["export default { fetch() { return new Response('hijacked') } }"], { type: "application/javascript+module" }),
      "w.js",
    );
    await cf.put(scriptPath("tenant-a"), { body: form });

    emu.requests.clear();
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    const scriptReads = reads().filter((p) => p.includes("/scripts/"));
    // One GET per script, plus one settings GET for the script that changed.
    expect(scriptReads.sort()).toEqual(
      [scriptPath("tenant-a"), `${scriptPath("tenant-a")}/settings`, scriptPath("tenant-b"), scriptPath("tenant-c")].sort(),
    );

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4, update: 1 });
    expect(preview.output).toMatch(/-\s*driftedEtag\s*:\s*"[0-9a-f]+"/); // the outside upload, to be undone
    await stack.up();
    expect(emu.state.script("platform", "tenant-a")!.modules[0].text).toContain("hello from a");
  });

  it("refresh drops a tenant deleted outside Pulumi, and the next up uploads it again", async () => {
    await cf.workersForPlatforms.dispatch.namespaces.scripts.delete("tenant-c", {
      account_id: emu.accountId,
      dispatch_namespace: "platform",
    });
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(emu.state.script("platform", "tenant-c")).toBeDefined();
  });

  it("refuses a bad compatibility date at preview, naming the property and the rule, before any request writes", async () => {
    await stack.setConfig({ compatibilityDate: "2024-13-01" });
    emu.requests.clear();
    const failure = await stack.preview().catch((error: Error) => error);
    expect(String(failure)).toMatch(/tenant-a.*compatibilityDate '2024-13-01' is not a calendar date/);
    expect(writes()).toEqual([]);
    await stack.removeConfig("compatibilityDate");
  });

  it("destroy deletes the tenants, then the namespace, leaving nothing", async () => {
    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
    expect(emu.state.scripts("platform")).toEqual([]);
  });
});
