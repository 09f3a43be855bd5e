/**
 * The `import` resource option, as a user takes over what was made outside Pulumi: a dispatch
 * namespace, a KV namespace, and a tenant whose secret, limits, tags and bindings were each set
 * through Cloudflare's API. `pulumi preview` then `pulumi up` must take them over without losing
 * the secret the program does not declare; an id that names nothing must fail at preview.
 */
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectFailure, expectSuccess } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { cloudflareObjects, stateObjects } from "./harness/objects";
import { namespacedScriptPath, patchSettings, uploadScript } from "./harness/out-of-band";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const existing = {
  namespace: "imported-tenants",
  script: "imported-tenant",
  kvTitle: "imported-settings",
  code: "export default { fetch(request, env) { return new Response(env.GREETING); } };",
  compatibilityDate: "2025-01-01",
  greeting: "hello",
  tags: ["customer-i", "plan-pro"],
  cpuMs: 30,
  secret: "secret-set-outside",
};

/**
 * The provider's notice for each imported resource, as the closing Diagnostics block lists it (the
 * engine builds that block from every diagnostic once), sorted; the import option is carried out by
 * the provider's create, so the engine itself counts these resources as creates.
 */
function importNotices(output: string): string[] {
  const diagnostics = output.slice(output.lastIndexOf("Diagnostics:"), output.lastIndexOf("Outputs:"));
  return [...diagnostics.matchAll(/^\s+import: (.*?)(?:, not created| and its code)[^\n]*$/gm)].map((m) => m[1]).sort();
}

describe("the import option", () => {
  let emu: EmulatorProcess;
  let project: UserProject;
  let kvId: string;

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    const account = `/accounts/${emu.accountId}`;
    await emu.api("POST", `${account}/workers/dispatch/namespaces`, { name: existing.namespace });
    kvId = (await emu.api<{ id: string }>("POST", `${account}/storage/kv/namespaces`, { title: existing.kvTitle })).id;
    const script = namespacedScriptPath(emu, existing.namespace, existing.script);
    await uploadScript(emu, script, existing.code, {
      compatibility_date: existing.compatibilityDate,
      bindings: [
        { name: "GREETING", type: "plain_text", text: existing.greeting },
        { name: "SETTINGS", type: "kv_namespace", namespace_id: kvId },
      ],
    });
    await emu.api("PUT", `${script}/secrets`, { name: "API_KEY", type: "secret_text", text: existing.secret });
    await emu.api("PUT", `${script}/tags`, existing.tags);
    await patchSettings(emu, script, { limits: { cpu_ms: existing.cpuMs } });

    project = await UserProject.create({ source: path.join(programsDir, "import"), env: emu.env });
    for (const key of ["namespace", "script", "kvTitle", "code", "compatibilityDate", "greeting"] as const)
      await project.setConfig(key, existing[key]);
    await project.setConfig("kvId", kvId);
    await project.setConfig("cpuMs", String(existing.cpuMs));
    await project.must(["config", "set", "--path", "tags[0]", existing.tags[0]]);
    await project.must(["config", "set", "--path", "tags[1]", existing.tags[1]]);
    await emu.clearRequests();
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("previews the three takeovers on a fresh stack, each named once in its diagnostics, without writing", async () => {
    const preview = await project.pulumi("preview");
    expectSuccess(preview);
    expect(importNotices(preview.output)).toEqual([
      `the existing KV namespace ${kvId} will be adopted`,
      `the existing dispatch namespace '${existing.namespace}' will be adopted`,
      `the existing script '${existing.namespace}/${existing.script}' will be taken over`,
    ]);
    expect(await emu.writes()).toEqual([]);
  });

  it("takes them over on up, keeping the secret set outside Pulumi", async () => {
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    // Nothing is created: the only write is the upload of the program's code and configuration.
    expect(await emu.writes()).toEqual([`PUT ${namespacedScriptPath(emu, existing.namespace, existing.script)}`]);
    const account = await emu.account();
    expect(cloudflareObjects(account)).toEqual(stateObjects(await project.deployment()));
    expect(account.dispatchNamespaces.map((ns) => ns.namespace_name)).toEqual([existing.namespace]);
    expect(account.kvNamespaces.map((kv) => kv.id)).toEqual([kvId]);
    const tenant = account.dispatchNamespaces[0].scripts[existing.script];
    expect([...tenant.bindings].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "API_KEY", type: "secret_text" },
      { name: "GREETING", type: "plain_text", text: existing.greeting },
      { name: "SETTINGS", type: "kv_namespace", namespace_id: kvId },
    ]);
    expect(await emu.secretMatches({ namespace: existing.namespace, script: existing.script, name: "API_KEY" }, existing.secret)).toBe(
      true,
    );
    expect(tenant.tags).toEqual(existing.tags);
    expect(tenant.limits).toEqual({ cpu_ms: existing.cpuMs });
  });

  it("then previews no change", async () => {
    await expectNoChanges(emu, project, 4);
  });
});

describe("the import option naming nothing", () => {
  let emu: EmulatorProcess;
  let project: UserProject;
  const missing = "no-such-namespace";

  beforeAll(async () => {
    emu = await EmulatorProcess.start();
    project = await UserProject.create({ source: path.join(programsDir, "import-missing"), env: emu.env });
    await project.setConfig("missing", missing);
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("fails at preview, naming the id, and creates nothing", async () => {
    const output = expectFailure(await project.pulumi("preview"));
    expect(output).toContain(missing);
    expect(await emu.writes()).toEqual([]);
    expect(cloudflareObjects(await emu.account())).toEqual([]);
  });

  it("fails up before any write too", async () => {
    const output = expectFailure(await project.pulumi("up", "--yes"));
    expect(output).toContain(missing);
    expect(await emu.writes()).toEqual([]);
    expect(cloudflareObjects(await emu.account())).toEqual([]);
  });
});
