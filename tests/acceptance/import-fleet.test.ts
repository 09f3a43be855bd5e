/**
 * `pulumi-cloudflare-wfp import --fleet`, as a platform team takes over a namespace of 50 tenant
 * scripts made through Cloudflare's API: most run one shared code, some another shared code of two
 * modules, some their own; each has its own greeting, some a JSON plan, a KV binding or tags, and
 * a few a secret. The written program declares one TenantFleet (what all share in its defaults,
 * each distinct code once) with the secret-bearing tenants and the dispatcher as their own imported
 * resources. Its first `pulumi up` writes nothing, a preview then expects no change, editing one
 * tenant re-uploads exactly that one, and `pulumi destroy` removes everything but the KV namespace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { dispatcherUpload, runImport } from "./harness/import-cli";
import { cloudflareObjects } from "./harness/objects";
import { accountScriptPath, namespacedScriptPath } from "./harness/out-of-band";
import { projectsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(600_000);

const NAMESPACE = "customer-workers";
const TENANTS = 50;
const DISPATCHER = "platform-router";

const tenantName = (i: number) => `customer-${String(i).padStart(2, "0")}`;
/** Tenants 5, 17, 29 and 41 have a secret. */
const hasSecret = (i: number) => i % 12 === 5;
const secretOf = (i: number) => `api-key-of-${tenantName(i)}`;
const SECRET_TENANTS = Array.from({ length: TENANTS }, (_, k) => k + 1).filter(hasSecret);

const SHARED_CODE = "export default { fetch(request, env) { return new Response(env.GREETING); } };\n";
const GREET_CODE =
  'import { greet } from "./lib/greet.js";\nexport default { fetch(request, env) { return new Response(greet(env.GREETING)); } };\n';
const GREET_LIB = "export const greet = (text) => `${text}!`;\n";

/** Every tenth tenant runs its own code, every seventh (else) the two-module code, the rest the shared one. */
function codeOf(i: number): Record<string, string> {
  if (i % 10 === 0) return { "worker.js": `export default { fetch() { return new Response("only ${tenantName(i)}"); } };\n` };
  if (i % 7 === 0) return { "worker.js": GREET_CODE, "lib/greet.js": GREET_LIB };
  return { "worker.js": SHARED_CODE };
}

function tenantUpload(i: number, kvId: string): FormData {
  const bindings: Array<Record<string, unknown>> = [{ name: "GREETING", type: "plain_text", text: `hello from ${tenantName(i)}` }];
  if (i % 4 === 1) bindings.push({ name: "PLAN", type: "json", json: { tier: i % 8 === 1 ? "pro" : "free", seats: i } });
  if (i % 6 === 0) bindings.push({ name: "SETTINGS", type: "kv_namespace", namespace_id: kvId });
  if (hasSecret(i)) bindings.push({ name: "API_KEY", type: "secret_text", text: secretOf(i) });
  const metadata: Record<string, unknown> = { main_module: "worker.js", compatibility_date: "2025-01-01", bindings };
  if (i % 3 === 0) metadata.tags = [`customer-${i}`];
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  for (const [name, code] of Object.entries(codeOf(i)))
    form.append(name, new Blob([code], { type: "application/javascript+module" }), name);
  return form;
}

describe("pulumi-cloudflare-wfp import --fleet", () => {
  let emu: EmulatorProcess;
  let project: UserProject;
  let printed: string;
  let kvId: string;
  const out = path.join(projectsDir, `imported-fleet-${process.pid}`);
  // The stack, the namespace, the KV namespace, the fleet, the secret-bearing tenants and the dispatcher.
  const resources = 5 + SECRET_TENANTS.length;

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    const account = `/accounts/${emu.accountId}`;
    await emu.api("POST", `${account}/workers/dispatch/namespaces`, { name: NAMESPACE });
    kvId = (await emu.api<{ id: string }>("POST", `${account}/storage/kv/namespaces`, { title: "tenant-settings" })).id;
    for (let i = 1; i <= TENANTS; i++) await emu.api("PUT", namespacedScriptPath(emu, NAMESPACE, tenantName(i)), tenantUpload(i, kvId));
    await emu.api("PUT", accountScriptPath(emu, DISPATCHER), dispatcherUpload(NAMESPACE));
    fs.rmSync(out, { recursive: true, force: true });
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("writes one TenantFleet with each distinct code once, reading without writing", async () => {
    await emu.clearRequests();
    const { stdout } = await runImport(emu.env, ["--namespace", NAMESPACE, "--fleet", "--out", out]);
    printed = stdout;
    expect(await emu.writes()).toEqual([]);
    expect(stdout).toContain(`${TENANTS} scripts in '${NAMESPACE}'`);
    expect(stdout.match(/pulumi config set --secret \S+/g)).toHaveLength(SECRET_TENANTS.length);
    const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(program.match(/new TenantFleet\(/g)).toHaveLength(1);
    expect(program.match(/new NamespacedWorkerScript\(/g)).toHaveLength(SECRET_TENANTS.length);
    expect(program.match(/new WorkerScript\(/g)).toHaveLength(1);
    for (const i of SECRET_TENANTS) expect(program).not.toContain(secretOf(i));
    // The two shared codes once each, the code of every tenth tenant and of each secret-bearing tenant in its own folder.
    expect(fs.readdirSync(path.join(out, "shared")).sort()).toEqual(["code-1", "code-2"]);
    expect(fs.readFileSync(path.join(out, "shared", "code-1", "worker.js"), "utf8")).toBe(SHARED_CODE);
    expect(fs.readFileSync(path.join(out, "shared", "code-2", "lib", "greet.js"), "utf8")).toBe(GREET_LIB);
    const ownCode = [10, 20, 30, 40, 50, ...SECRET_TENANTS].map(tenantName).sort();
    expect(fs.readdirSync(path.join(out, "workers")).sort()).toEqual(ownCode);
    expect(program).toContain('entrypoint: "shared/code-1/worker.js"');
  });

  it("takes everything over on the first up without one write, once the secrets are set", async () => {
    project = await UserProject.create({ source: out, env: emu.env });
    for (const [, key, tenant] of printed.matchAll(/pulumi config set --secret (\S+) <value of API_KEY of (\S+)>/g)) {
      await project.setConfig(key, secretOf(Number(tenant.slice("customer-".length))), { secret: true });
    }
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    expect(resourceSummary(up.output)).toEqual({ created: resources });
    expect(await emu.writes()).toEqual([]);
    const state = JSON.stringify(await project.deployment());
    for (const i of SECRET_TENANTS) expect(state).not.toContain(secretOf(i));
  });

  it("then previews no change", async () => {
    await expectNoChanges(emu, project, resources);
  });

  it("uploads exactly the one tenant edited in the written program", async () => {
    const file = path.join(project.dir, "index.ts");
    const program = fs.readFileSync(file, "utf8");
    expect(program.split('"hello from customer-02"')).toHaveLength(2);
    fs.writeFileSync(file, program.replace('"hello from customer-02"', '"hello again from customer-02"'));
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    expect(resourceSummary(up.output)).toEqual({ updated: 1, unchanged: resources - 1 });
    expect(await emu.writes()).toEqual([`PUT ${namespacedScriptPath(emu, NAMESPACE, tenantName(2))}`]);
  });

  it("is destroyed by a plain `pulumi destroy`, which leaves the KV namespace in Cloudflare", async () => {
    const destroy = await project.pulumi("destroy", "--yes");
    expectSuccess(destroy);
    expect(resourceSummary(destroy.output)).toEqual({ deleted: resources });
    expect(destroy.output).toMatch(/KVNamespace.*\[retain\]/);
    expect(cloudflareObjects(await emu.account())).toEqual([`kv ${kvId}`]);
  });
});
