/**
 * The program `pulumi-cloudflare-wfp import` writes, from a model of what Cloudflare has: one
 * resource per object with the import option, names derived from Cloudflare's, every module as a
 * file, secrets as config to set, and what cannot be declared exactly said beside it.
 */
import { type ImportedPlatform, type ImportedScript } from "../../importer/model";
import { writeProgram } from "../../importer/writer";
import { camelCase } from "../../importer/identifiers";
import { MODULE_TYPES } from "../../provider/workers/bundle";

const OPTIONS = { packageSpec: "^1.2.3", command: "pulumi-cloudflare-wfp import --namespace customer-workers" };
const KV_ID = "0f2ac74b498b48028cb68387c421e279";

const esm = (name: string, text: string) => ({ name, contentType: MODULE_TYPES.esm, content: Buffer.from(text) });

function tenant(scriptName: string, extra: Partial<ImportedScript> = {}): ImportedScript {
  return {
    scriptName,
    mainModule: "worker.js",
    modules: [esm("worker.js", `// ${scriptName}`)],
    config: { compatibilityDate: "2025-01-01" },
    ...extra,
  };
}

function platform(extra: Partial<ImportedPlatform> = {}): ImportedPlatform {
  return {
    accountId: "a".repeat(32),
    namespace: { name: "customer-workers", trustedWorkers: false },
    tenants: [],
    dispatchers: [],
    kvNamespaces: [],
    zones: [],
    ...extra,
  };
}

const program = (p: ImportedPlatform) => writeProgram(p, OPTIONS).files.get("index.ts") as string;

describe("names in the generated program", () => {
  it("are camelCase, from Cloudflare's names, and never start with a digit", () => {
    expect([
      camelCase("customer-a", "script"),
      camelCase("API_KEY", "secret"),
      camelCase("tenant_v2.eu", "script"),
      camelCase("7-eleven", "script"),
    ]).toEqual(["customerA", "apiKey", "tenantV2Eu", "script7Eleven"]);
  });

  it("stay unique when two Cloudflare names give the same variable, and keep the names the program uses free", () => {
    const text = program(
      platform({
        namespace: { name: "config", trustedWorkers: false },
        kvNamespaces: [
          { id: KV_ID, title: "customer-a" },
          { id: "b".repeat(32), title: "customer_a" },
        ],
        tenants: [],
      }),
    );
    expect(text).toContain('const customerA = new KVNamespace("customer-a"');
    expect(text).toContain('const customerA2 = new KVNamespace("customer_a"');
    expect(text).toContain('const config2 = new DispatchNamespace("config"');
  });
});

describe("the generated program", () => {
  it("declares the namespace and each script, in name order, with the import option and its code by file", () => {
    const text = program(platform({ tenants: [tenant("customer-a"), tenant("customer-b")] }));
    expect(text).toContain(
      'const customerWorkers = new DispatchNamespace("customer-workers", { namespace: "customer-workers" }, { import: "customer-workers" });',
    );
    const a = text.indexOf('new NamespacedWorkerScript("customer-a"');
    expect(a).toBeGreaterThan(0);
    expect(text.indexOf('new NamespacedWorkerScript("customer-b"')).toBeGreaterThan(a);
    expect(text).toContain(
      [
        'new NamespacedWorkerScript("customer-a", {',
        "  namespace: customerWorkers,",
        '  scriptName: "customer-a",',
        '  entrypoint: "workers/customer-a/worker.js",',
        "  bundle: false,",
        '  compatibilityDate: "2025-01-01",',
        '}, { import: "customer-workers/customer-a" });',
      ].join("\n"),
    );
  });

  it("writes every module under its own name, bytes unchanged", () => {
    const wasm = { name: "lib/add.wasm", contentType: MODULE_TYPES.wasm, content: Uint8Array.from([0, 97, 115, 109]) };
    const files = writeProgram(
      platform({
        tenants: [tenant("customer-a", { modules: [esm("worker.js", "import './lib/util.js'"), esm("lib/util.js", "export {}"), wasm] })],
      }),
      OPTIONS,
    ).files;
    expect(Buffer.from(files.get("workers/customer-a/worker.js")!).toString()).toBe("import './lib/util.js'");
    expect(Buffer.from(files.get("workers/customer-a/lib/util.js")!).toString()).toBe("export {}");
    expect(files.get("workers/customer-a/lib/add.wasm")).toEqual(wasm.content);
  });

  it("writes a project that depends on this package: Pulumi.yaml, package.json, tsconfig.json", () => {
    const files = writeProgram(platform(), OPTIONS).files;
    expect(files.get("Pulumi.yaml")).toMatch(/^name: customer-workers\nruntime: nodejs\n/);
    expect(JSON.parse(files.get("package.json") as string).dependencies).toEqual({
      "@pulumi/pulumi": "^3.139.0",
      "pulumi-cloudflare-wfp": "^1.2.3",
    });
    expect(JSON.parse(files.get("tsconfig.json") as string).files).toEqual(["index.ts"]);
  });

  it("binds a KV namespace of the account through its resource, imported and retained on delete, and any other by id", () => {
    const text = program(
      platform({
        kvNamespaces: [{ id: KV_ID, title: "tenant-settings" }],
        tenants: [
          tenant("customer-a", {
            config: {
              bindings: {
                SETTINGS: { type: "kv_namespace", namespace_id: KV_ID },
                OTHER: { type: "kv_namespace", namespace_id: "c".repeat(32) },
              },
            },
          }),
        ],
      }),
    );
    expect(text).toContain(
      `const tenantSettings = new KVNamespace("tenant-settings", { title: "tenant-settings" }, { import: "${KV_ID}", retainOnDelete: true });`,
    );
    expect(text).toContain("// `pulumi destroy` deletes the Workers and the dispatch namespace and only forgets these.");
    expect(text).toContain("SETTINGS: tenantSettings");
    expect(text).toContain(`OTHER: bindings.kvNamespace("${"c".repeat(32)}")`);
  });

  it("asks for each secret as config, never writing a value, and lists the command to set it", () => {
    const generated = writeProgram(
      platform({ tenants: [tenant("customer-a", { config: { secretBindings: { API_KEY: { type: "secret_text" } as never } } })] }),
      OPTIONS,
    );
    const text = generated.files.get("index.ts") as string;
    expect(generated.secrets).toEqual([{ configKey: "customerAApiKey", scriptName: "customer-a", binding: "API_KEY" }]);
    expect(text).toContain('API_KEY: bindings.secret(config.requireSecret("customerAApiKey"))');
    expect(text).toContain("//   pulumi config set --secret customerAApiKey <value of API_KEY of customer-a>");
    expect(text).toContain("const config = new pulumi.Config();");
  });

  it("writes each binding type as a person would: text as a string, the namespace by its resource, the rest through the helpers", () => {
    const text = program(
      platform({
        dispatchers: [
          {
            ...tenant("platform-router"),
            config: {
              bindings: {
                TENANTS: { type: "dispatch_namespace", namespace: "customer-workers" },
                OUTBOUND: {
                  type: "dispatch_namespace",
                  namespace: "customer-workers",
                  outbound: { worker: { service: "egress" }, params: [{ name: "customer" }] },
                },
                MOTD: { type: "plain_text", text: "hi" },
                PLAN: { type: "json", json: { tier: "pro" } },
                AUTH: { type: "service", service: "auth-worker" },
                DB: { type: "d1", database_id: "db-1" },
              },
            },
            routes: [{ pattern: "*.example.com/*", zoneId: "d".repeat(32) }],
            crons: ["0 3 * * *"],
          },
        ],
      }),
    );
    expect(text).toContain(
      [
        "  bindings: {",
        '    AUTH: bindings.service("auth-worker"),',
        '    DB: bindings.binding({ type: "d1", database_id: "db-1" }),',
        '    MOTD: "hi",',
        '    OUTBOUND: bindings.dispatchNamespace(customerWorkers, { outbound: { service: "egress", params: ["customer"] } }),',
        '    PLAN: bindings.json({ tier: "pro" }),',
        "    TENANTS: customerWorkers,",
        "  },",
        `  routes: [{ pattern: "*.example.com/*", zoneId: "${"d".repeat(32)}" }],`,
        '  crons: ["0 3 * * *"],',
        '}, { import: "platform-router" });',
      ].join("\n"),
    );
    expect(text).toContain('import { bindings, DispatchNamespace, WorkerScript } from "pulumi-cloudflare-wfp";');
  });

  it("writes every configuration key the model has, those it does not know by name too, in a stable order", () => {
    const config = {
      logpush: true,
      limits: { cpuMs: 50 },
      tags: ["plan-pro"],
      futureSetting: { modeName: "x" },
      compatibilityFlags: ["nodejs_compat"],
      compatibilityDate: "2025-01-01",
    };
    const text = program(platform({ tenants: [tenant("customer-a", { config: config })] }));
    const keys = [...text.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);
    expect(keys).toEqual([
      "namespace",
      "scriptName",
      "entrypoint",
      "bundle",
      "compatibilityDate",
      "compatibilityFlags",
      "tags",
      "limits",
      "logpush",
      "futureSetting",
    ]);
  });

  it("says what it cannot declare exactly, beside the script and in its warnings, never dropping it silently", () => {
    const generated = writeProgram(
      platform({
        tenants: [
          tenant("legacy", {
            modules: [
              { name: "worker.js", contentType: "application/javascript", content: Buffer.from("addEventListener('fetch', () => {})") },
            ],
          }),
          tenant("signer", { config: { secretBindings: { SIGNING_KEY: { type: "secret_key" } as never } } }),
          tenant("escape", { modules: [esm("worker.js", ""), esm("../outside.js", "")] }),
        ],
      }),
      OPTIONS,
    );
    const text = generated.files.get("index.ts") as string;
    expect(generated.warnings).toEqual([
      expect.stringMatching(/^legacy: module 'worker.js' is application\/javascript/),
      expect.stringMatching(/^signer: SIGNING_KEY is a secret_key binding/),
      expect.stringMatching(/^escape: module '..\/outside.js' cannot be written/),
    ]);
    expect(text.match(/^\/\/ NOTE: /gm)).toHaveLength(3);
    expect(text).toContain('keepBindings: ["secret_key"],');
    expect([...generated.files.keys()].some((file) => file.includes("outside"))).toBe(false);
  });

  it("declares a routed zone's fallback origin and custom hostnames as Cloudflare has them, each with the import option", () => {
    const zoneId = "d".repeat(32);
    const text = program(
      platform({
        zones: [
          {
            zoneId,
            name: "example.net",
            fallbackOrigin: "fallback.example.net",
            customHostnames: [
              { id: "id-shop", inputs: { zoneId, hostname: "shop.acme-store.com", customMetadata: { tenant: "acme" } } },
              { id: "id-www", inputs: { zoneId, hostname: "www.globex-goods.com", ssl: { method: "txt" } } },
            ],
          },
          { zoneId: "e".repeat(32), name: "example.com", customHostnames: [] },
        ],
      }),
    );
    expect(text).toContain(
      [
        "// Cloudflare for SaaS on zone example.net, which the dispatchers route on: its customers' domains.",
        `new FallbackOrigin("example.net", { zoneId: "${zoneId}", origin: "fallback.example.net" }, { import: "${zoneId}" });`,
        `new CustomHostname("shop.acme-store.com", {`,
        `  zoneId: "${zoneId}",`,
        `  hostname: "shop.acme-store.com",`,
        `  customMetadata: { tenant: "acme" },`,
        `}, { import: "id-shop" });`,
        `new CustomHostname("www.globex-goods.com", {`,
        `  zoneId: "${zoneId}",`,
        `  hostname: "www.globex-goods.com",`,
        `  ssl: { method: "txt" },`,
        `}, { import: "id-www" });`,
      ].join("\n"),
    );
    expect(text).not.toContain("example.com");
    expect(text).toContain('import { CustomHostname, DispatchNamespace, FallbackOrigin } from "pulumi-cloudflare-wfp";');
  });
});

describe("the generated fleet program (--fleet)", () => {
  const FLEET = { ...OPTIONS, command: `${OPTIONS.command} --fleet`, fleet: true };
  const fleetProgram = (p: ImportedPlatform) => writeProgram(p, FLEET);
  const shared = [esm("worker.js", "export default {}")];
  const sharing = (scriptName: string, config: ImportedScript["config"]) =>
    tenant(scriptName, { modules: shared, config: { compatibilityDate: "2025-01-01", compatibilityFlags: ["nodejs_compat"], ...config } });

  it("factors what every tenant has identically into defaults and writes each distinct code once", () => {
    const generated = fleetProgram(
      platform({
        tenants: [
          sharing("customer-a", {
            bindings: { GREETING: { type: "plain_text", text: "hi a" }, REGION: { type: "plain_text", text: "eu" } },
          }),
          sharing("customer-b", {
            bindings: { GREETING: { type: "plain_text", text: "hi b" }, REGION: { type: "plain_text", text: "eu" } },
          }),
          tenant("customer-c", {
            config: {
              compatibilityDate: "2025-01-01",
              compatibilityFlags: ["nodejs_compat"],
              bindings: { REGION: { type: "plain_text", text: "eu" } },
            },
          }),
        ],
      }),
    );
    const text = generated.files.get("index.ts") as string;
    expect(text).toContain(
      [
        'new TenantFleet("customer-workers", {',
        "  namespace: customerWorkers,",
        "  defaults: {",
        '    entrypoint: "shared/code-1/worker.js",',
        "    bundle: false,",
        '    compatibilityDate: "2025-01-01",',
        '    compatibilityFlags: ["nodejs_compat"],',
        '    bindings: { REGION: "eu" },',
        "  },",
        "  tenants: {",
        '    "customer-a": { bindings: { GREETING: "hi a" } },',
        '    "customer-b": { bindings: { GREETING: "hi b" } },',
        '    "customer-c": { entrypoint: "workers/customer-c/worker.js" },',
        "  },",
        "});",
      ].join("\n"),
    );
    expect(text).toContain("//   shared/code-1/: 2 tenants (the defaults)");
    expect(text).toContain('import { DispatchNamespace, TenantFleet } from "pulumi-cloudflare-wfp";');
    expect([...generated.files.keys()].filter((f) => f.endsWith(".js")).sort()).toEqual([
      "shared/code-1/worker.js",
      "workers/customer-c/worker.js",
    ]);
    expect(text).not.toContain('{ import: "customer-workers/');
  });

  it("keeps in each tenant's entry what not every tenant has the same, never inheriting a value a tenant lacks", () => {
    const generated = fleetProgram(
      platform({
        kvNamespaces: [{ id: KV_ID, title: "tenant-settings" }],
        tenants: [
          sharing("customer-a", {
            compatibilityDate: "2025-06-01",
            tags: ["plan-pro"],
            bindings: { PLAN: { type: "json", json: { tier: "pro" } }, SETTINGS: { type: "kv_namespace", namespace_id: KV_ID } },
          }),
          sharing("customer-b", { limits: { cpuMs: 50 }, bindings: { AUTH: { type: "service", service: "auth-worker" } } }),
        ],
      }),
    );
    const text = (generated.files.get("index.ts") as string).replace(/[\s\S]*new TenantFleet/, "");
    expect(text).toContain('defaults: { entrypoint: "shared/code-1/worker.js", bundle: false, compatibilityFlags: ["nodejs_compat"] }');
    expect(text).toContain(
      [
        '    "customer-a": {',
        '      compatibilityDate: "2025-06-01",',
        '      bindings: { PLAN: { type: "json", json: { tier: "pro" } }, SETTINGS: tenantSettings },',
        '      tags: ["plan-pro"],',
        "    },",
        '    "customer-b": {',
        '      compatibilityDate: "2025-01-01",',
        '      bindings: { AUTH: { type: "service", service: "auth-worker" } },',
        "      limits: { cpuMs: 50 },",
        "    },",
      ].join("\n"),
    );
  });

  it("declares a tenant with a secret on its own beside the fleet, the secret as config, saying why", () => {
    const generated = fleetProgram(
      platform({
        tenants: [
          sharing("customer-a", {}),
          sharing("customer-b", { secretBindings: { API_KEY: { type: "secret_text" } as never } }),
          sharing("customer-c", {}),
        ],
      }),
    );
    const text = generated.files.get("index.ts") as string;
    expect(generated.secrets).toEqual([{ configKey: "customerBApiKey", scriptName: "customer-b", binding: "API_KEY" }]);
    expect(text).toContain('tenants: { "customer-a": {}, "customer-c": {} }');
    expect(text).toContain(
      "// customer-b: it has secret bindings (API_KEY): a TenantFleet uploads a tenant with secrets at its first `up`",
    );
    expect(text).toContain('new NamespacedWorkerScript("customer-b", {');
    expect(text).toContain('API_KEY: bindings.secret(config.requireSecret("customerBApiKey"))');
    expect(text).toContain("//   pulumi config set --secret customerBApiKey <value of API_KEY of customer-b>");
    expect(generated.files.has("workers/customer-b/worker.js")).toBe(true);
  });

  it("declares a script with static assets or Durable Object migrations beside the fleet, and says what is not declared", () => {
    const generated = fleetProgram(
      platform({
        tenants: [sharing("counter", {}), sharing("customer-a", {}), sharing("customer-b", {}), sharing("site", {})].map((t) => ({
          ...t,
          hasAssets: t.scriptName === "site" || undefined,
          migrationTag: t.scriptName === "counter" ? "v2" : undefined,
        })),
      }),
    );
    const text = generated.files.get("index.ts") as string;
    expect(text).toContain("// site: it has static assets, which a TenantFleet tenant does not take yet.");
    expect(text).toContain("// counter: it has Durable Object migrations (tag 'v2'), which a TenantFleet tenant does not take yet.");
    expect(text.match(/new NamespacedWorkerScript\("(site|counter)"/g)).toEqual([
      'new NamespacedWorkerScript("counter"',
      'new NamespacedWorkerScript("site"',
    ]);
    expect(generated.warnings).toEqual([
      expect.stringMatching(/^counter: its Durable Object migrations \(last tag 'v2'\) are not declared/),
      expect.stringMatching(/^site: it serves static assets, which the import does not read/),
    ]);
    expect(text).toContain('tenants: { "customer-a": {}, "customer-b": {} }');
  });

  it("leaves the dispatchers WorkerScripts, and writes no fleet for a namespace without scripts", () => {
    const text = program({ ...platform({ dispatchers: [{ ...tenant("platform-router"), routes: [] }] }) });
    expect(fleetProgram(platform({ dispatchers: [{ ...tenant("platform-router"), routes: [] }] })).files.get("index.ts")).toBe(
      text
        .replace(
          "written by `pulumi-cloudflare-wfp import --namespace customer-workers`",
          "written by `pulumi-cloudflare-wfp import --namespace customer-workers --fleet`",
        )
        .replace(
          "// Every resource carries the import option: the first `pulumi up` takes each over and changes nothing.",
          "// Every resource but the TenantFleet carries the import option, and the fleet adopts its scripts: the first `pulumi up` changes nothing.",
        ),
    );
    expect(text).toContain('new WorkerScript("platform-router"');
  });

  it("says, once for the tenants that run it, what of a shared code cannot be declared exactly", () => {
    const modules = [esm("worker.js", ""), esm("../outside.js", "")];
    const generated = fleetProgram(platform({ tenants: [tenant("customer-a", { modules }), tenant("customer-b", { modules })] }));
    expect(generated.warnings).toEqual([expect.stringMatching(/^customer-a, customer-b: module '..\/outside.js' cannot be written/)]);
    expect((generated.files.get("index.ts") as string).match(/^\/\/ NOTE: /gm)).toHaveLength(1);
  });
});
