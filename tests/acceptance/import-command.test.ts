/**
 * `pulumi-cloudflare-wfp import`, as a platform team takes over what it built without Pulumi: a
 * dispatch namespace of 20 tenant scripts (one or several modules, plain, JSON, secret and KV
 * bindings, tags, limits) and a dispatcher bound to it with a zone route, and in that zone a fallback
 * origin and two customers' domains (custom hostnames, one verified, one pending with its own origin
 * server), all made through Cloudflare's API. The installed package's command writes the program; with
 * the secret set as it asks, the first `pulumi up` takes everything over without one write, the
 * verified domain still active, and a preview after it expects no change. A plain `pulumi destroy`
 * then deletes what the stack took over except the KV namespace, which stays in Cloudflare with its
 * data, as docs/using/importing.md says.
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
const TENANTS = 20;
const DISPATCHER = "platform-router";
const ROUTE = "*.example.com/*";
const API_KEY = "key-set-through-the-api";
const KV_KEY = "plan/customer-01";
const KV_VALUE = "pro";
const FALLBACK = "fallback.example.com";
/** Customers' domains in the dispatcher's zone: one verified, one still pending with its own origin server. */
const DOMAINS = {
  "shop.acme-store.com": { custom_metadata: { tenant: "customer-01" }, ssl: { method: "http", type: "dv" } },
  "www.globex-goods.com": {
    custom_metadata: { tenant: "customer-02" },
    custom_origin_server: "origin.example.com",
    ssl: { method: "txt", type: "dv" },
  },
};

const tenantName = (i: number) => `customer-${String(i).padStart(2, "0")}`;

/** Tenant i's upload: every third has two modules; bindings, tags and limits vary with i. */
function tenantUpload(i: number, kvId: string): FormData {
  const multiModule = i % 3 === 0;
  const bindings: Array<Record<string, unknown>> = [{ name: "GREETING", type: "plain_text", text: `hello from ${tenantName(i)}` }];
  if (i % 2 === 0) bindings.push({ name: "SETTINGS", type: "kv_namespace", namespace_id: kvId });
  if (i % 4 === 1) bindings.push({ name: "PLAN", type: "json", json: { tier: i % 8 === 1 ? "pro" : "free", seats: i } });
  if (i === 1) bindings.push({ name: "API_KEY", type: "secret_text", text: API_KEY });
  const metadata: Record<string, unknown> = { main_module: "worker.js", compatibility_date: "2025-01-01", bindings };
  if (i % 2 === 1) metadata.tags = [`customer-${i}`, i % 4 === 1 ? "plan-pro" : "plan-free"];
  if (i % 5 === 0) metadata.limits = { cpu_ms: 10 * i };
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  const main = multiModule
    ? 'import { greet } from "./lib/greet.js";\nexport default { fetch(request, env) { return new Response(greet(env.GREETING)); } };\n'
    : "export default { fetch(request, env) { return new Response(env.GREETING); } };\n";
  form.append("worker.js", new Blob([main], { type: "application/javascript+module" }), "worker.js");
  if (multiModule)
    form.append(
      "lib/greet.js",
      new Blob(["export const greet = (text) => `${text}!`;\n"], { type: "application/javascript+module" }),
      "lib/greet.js",
    );
  return form;
}

describe("pulumi-cloudflare-wfp import", () => {
  let emu: EmulatorProcess;
  let project: UserProject;
  let printed: string;
  let kvId: string;
  const out = path.join(projectsDir, `imported-${process.pid}`);

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    const account = `/accounts/${emu.accountId}`;
    await emu.api("POST", `${account}/workers/dispatch/namespaces`, { name: NAMESPACE });
    kvId = (await emu.api<{ id: string }>("POST", `${account}/storage/kv/namespaces`, { title: "tenant-settings" })).id;
    const value = new FormData();
    value.append("value", KV_VALUE);
    await emu.api("PUT", `${account}/storage/kv/namespaces/${kvId}/values/${encodeURIComponent(KV_KEY)}`, value);
    for (let i = 1; i <= TENANTS; i++) await emu.api("PUT", namespacedScriptPath(emu, NAMESPACE, tenantName(i)), tenantUpload(i, kvId));
    await emu.api("PUT", accountScriptPath(emu, DISPATCHER), dispatcherUpload(NAMESPACE));
    const [zone] = await emu.api<{ id: string }[]>("GET", `/zones?account.id=${emu.accountId}`);
    await emu.api("POST", `/zones/${zone.id}/workers/routes`, { pattern: ROUTE, script: DISPATCHER });
    await emu.api("PUT", `/zones/${zone.id}/custom_hostnames/fallback_origin`, { origin: FALLBACK });
    for (const [hostname, settings] of Object.entries(DOMAINS))
      await emu.api("POST", `/zones/${zone.id}/custom_hostnames`, { hostname, ...settings });
    await emu.advanceCustomHostname("shop.acme-store.com", { untilActive: true });
    fs.rmSync(out, { recursive: true, force: true });
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("writes the program, reading without writing, and asks for the secret", async () => {
    await emu.clearRequests();
    const { stdout } = await runImport(emu.env, ["--namespace", NAMESPACE, "--out", out]);
    printed = stdout;
    expect(await emu.writes()).toEqual([]);
    expect(stdout).toContain(`${TENANTS} scripts in '${NAMESPACE}'`);
    expect(stdout).toContain(`1 account-level script bound to '${NAMESPACE}': ${DISPATCHER}`);
    expect(stdout).toContain(`zone example.com: 2 custom hostnames, fallback origin ${FALLBACK}`);
    expect(stdout.match(/pulumi config set --secret \S+/g)).toEqual(["pulumi config set --secret customer01ApiKey"]);
    expect(fs.readdirSync(out).sort()).toEqual(["Pulumi.yaml", "dispatchers", "index.ts", "package.json", "tsconfig.json", "workers"]);
    expect(fs.readdirSync(path.join(out, "workers")).length).toBe(TENANTS);
    expect(fs.readdirSync(path.join(out, "workers", tenantName(3), "lib"))).toEqual(["greet.js"]);
    const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(program).not.toContain(API_KEY);
    expect(program.match(/\{ import: /g)).toHaveLength(TENANTS + 6); // namespace, KV, tenants, dispatcher, fallback origin, 2 hostnames
    expect(program.match(/new CustomHostname\(/g)).toHaveLength(2);
    expect(program).toContain(`new FallbackOrigin("example.com", `);
  });

  it("takes everything over on the first up without one write, once the secret is set", async () => {
    project = await UserProject.create({ source: out, env: emu.env });
    const secretKey = /pulumi config set --secret (\S+)/.exec(printed)![1];
    await project.setConfig(secretKey, API_KEY, { secret: true });
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    // The import option is carried out by each provider's create: the engine counts them as creates (and the stack).
    expect(resourceSummary(up.output)).toEqual({ created: TENANTS + 7 });
    expect(await emu.writes()).toEqual([]);
    // The customers' domains as they were: the verified one still active, each with its metadata and origin.
    const domains = (await project.deployment()).resources
      ?.filter((r) => r.type.endsWith(":CustomHostname"))
      .map((r) => [r.outputs?.hostname, r.outputs?.status, r.outputs?.customMetadata, r.outputs?.customOriginServer ?? null])
      .sort();
    expect(domains).toEqual([
      ["shop.acme-store.com", "active", { tenant: "customer-01" }, null],
      ["www.globex-goods.com", "pending", { tenant: "customer-02" }, "origin.example.com"],
    ]);
    const state = JSON.stringify(await project.deployment());
    expect(state).not.toContain(API_KEY);
  });

  it("then previews no change", async () => {
    await expectNoChanges(emu, project, TENANTS + 7); // and the stack itself
  });

  it("is destroyed by a plain `pulumi destroy`, which leaves the KV namespace and its data in Cloudflare", async () => {
    const destroy = await project.pulumi("destroy", "--yes");
    expectSuccess(destroy);
    expect(resourceSummary(destroy.output)).toEqual({ deleted: TENANTS + 7 });
    expect(destroy.output).toMatch(/KVNamespace.*\[retain\]/);
    expect(cloudflareObjects(await emu.account())).toEqual([`kv ${kvId}`]);
    const kv = (await emu.account()).kvNamespaces.find((k) => k.id === kvId)!;
    expect(kv.entries.map((e) => [e.name, Buffer.from(e.value_base64, "base64").toString()])).toEqual([[KV_KEY, KV_VALUE]]);
  });
});
