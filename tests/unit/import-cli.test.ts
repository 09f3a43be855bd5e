/**
 * The import command's arguments and failures, as a person meets them: each says what is wrong and
 * what to do, exits non-zero, and writes no file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { main } from "../../importer/cli";
import { sdk } from "../emulator/helpers";
import { uploadAccountScript, uploadModule, workerForm } from "../emulator/script-helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));

let out: string;
beforeEach(() => (out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "import-cli-")), "program")));
afterEach(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

/** The command in a process of its own, whose environment is `environment`. */
async function runIn(environment: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await main(argv, { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) }, providerContext(environment));
  return { code, out: lines.out.join("\n"), err: lines.err.join("\n") };
}

const run = (...argv: string[]) => runIn(env, ...argv);

it("names a missing namespace and the ones the account has", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "staging-workers" });
  const result = await run("import", "--namespace", "customer-workers", "--out", out);
  expect(result).toEqual({
    code: 1,
    out: "",
    err: `error: dispatch namespace 'customer-workers' does not exist in account ${emu.accountId} (it has: staging-workers)`,
  });
  expect(fs.existsSync(out)).toBe(false);
});

it("says which variables to set when there are no credentials", async () => {
  const { CLOUDFLARE_API_TOKEN: _token, ...withoutToken } = env;
  const result = await runIn(withoutToken, "import", "--namespace", "customer-workers", "--out", out);
  expect(result.code).toBe(1);
  expect(result.err).toBe("error: no Cloudflare credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)");
  expect(fs.existsSync(out)).toBe(false);
});

it("refuses to write into a folder that is not empty unless forced", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "customer-workers" });
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, "index.ts"), "// mine");
  const refused = await run("import", "--namespace", "customer-workers", "--out", out);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain("is not empty; choose another --out, or give --force");
  expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toBe("// mine");
  const forced = await run("import", "--namespace", "customer-workers", "--out", out, "--force");
  expect(forced.code).toBe(0);
  expect(forced.out).toContain("0 scripts in 'customer-workers'");
  expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toContain('new DispatchNamespace("customer-workers"');
});

it("writes package.json with the source this copy came from (run from the repository: the checkout)", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "customer-workers" });
  const result = await run("import", "--namespace", "customer-workers", "--out", out);
  expect(result.code).toBe(0);
  const checkout = path.resolve(__dirname, "..", "..");
  const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(pkg.dependencies["pulumi-cloudflare-wfp"]).toBe(`file:${checkout}`);
  expect(result.out).toContain(
    `package.json installs pulumi-cloudflare-wfp from file:${checkout}, as this copy was (the checkout the command ran from)`,
  );
});

it("writes a fleet program with --fleet, quoting the command in its first comment, and lists the option in --help", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "customer-workers" });
  const result = await run("import", "--namespace", "customer-workers", "--fleet", "--out", out);
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toContain(
    "// written by `pulumi-cloudflare-wfp import --namespace customer-workers --fleet`.",
  );
  expect((await run("import", "--help")).out).toMatch(/^ {2}--fleet {13}declare the namespace's scripts as one TenantFleet/m);
});

it("keeps a script that ran Durable Object migrations beside the fleet, as the namespace's list reports it", async () => {
  const cf = sdk(emu);
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "customer-workers" });
  const target = { cf, account_id: emu.accountId, namespace: "customer-workers" };
  const counter = "export class Counter {}\nexport default { fetch() { return new Response('ok'); } };\n";
  await uploadModule(
    target,
    "counter",
    {
      migrations: { new_tag: "v1", new_sqlite_classes: ["Counter"] },
      bindings: [{ type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" }],
    },
    { "index.js": counter },
  );
  await uploadModule(target, "customer-a");
  const result = await run("import", "--namespace", "customer-workers", "--fleet", "--out", out);
  expect(result.code).toBe(0);
  const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
  expect(program).toContain("// counter: it has Durable Object migrations (tag 'v1'), which a TenantFleet tenant does not take yet.");
  expect(program).toContain('new NamespacedWorkerScript("counter", {');
  expect(program).toMatch(/tenants: \{ "customer-a": \{[^\n]*\} \}/);
});

it("writes a dispatcher's cron triggers, so its first up changes none of them", async () => {
  const cf = sdk(emu);
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "customer-workers" });
  const metadata = {
    main_module: "index.js",
    compatibility_date: "2025-01-01",
    bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "customer-workers" }],
  };
  await uploadAccountScript(cf, emu.accountId, "platform-router", workerForm(metadata));
  await cf.workers.scripts.schedules.update("platform-router", {
    account_id: emu.accountId,
    body: [{ cron: "0 3 * * *" }, { cron: "*/15 * * * *" }],
  });
  const result = await run("import", "--namespace", "customer-workers", "--out", out);
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toContain(
    '  crons: ["0 3 * * *", "*/15 * * * *"],\n}, { import: "platform-router" });',
  );
});

it.each([
  [["import"], "--namespace is required"],
  [["import", "--namespace"], "--namespace needs a value"],
  [["export", "--namespace", "x"], "unknown command 'export'"],
  [["import", "--namespace", "x", "--verbose"], "unknown option '--verbose'"],
])("answers %j with its usage and exit code 2", async (argv, problem) => {
  const result = await run(...argv);
  expect(result.code).toBe(2);
  expect(result.err).toContain(`error: ${problem}`);
  expect(result.err).toContain("Usage: pulumi-cloudflare-wfp import --namespace <name>");
});
