/**
 * Versions and deployments of an account-level Worker: every upload is a version deployed at 100%,
 * a version upload deploys nothing, and a deployment makes its version the code that runs.
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { rejectionOf, UUID, useEmulator } from "./helpers";
import { accountScriptPath, CLASSIC, uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
useEmulator((f) => ({ emu, cf, account_id } = f));

const answering = (text: string) => `export default { async fetch() { return new Response(${JSON.stringify(text)}); } };\n`;
const moduleForm = (text: string, metadata: Record<string, unknown> = {}) =>
  workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }, { "index.js": answering(text) });
const deploy = (name: string, text: string) => uploadAccountScript(cf, account_id, name, moduleForm(text));
async function uploadVersion(name: string, text: string, metadata: Record<string, unknown> = {}) {
  const res = await cf.post<{ result: Record<string, any> }>(accountScriptPath(account_id, name, "/versions"), {
    body: moduleForm(text, metadata),
  });
  return res.result;
}
const versions = (name: string) => cf.workers.scripts.versions.list(name, { account_id }).then((page) => page.getPaginatedItems());
const deployments = (name: string) =>
  cf
    .get<{ result: { deployments: Array<Record<string, any>> } }>(accountScriptPath(account_id, name, "/deployments"))
    .then((r) => r.result.deployments);
const deployVersions = (name: string, split: Array<{ version_id: string; percentage: number }>) =>
  cf.workers.scripts.deployments.create(name, { account_id, strategy: "percentage", versions: split });
/** The text the stored (running) Worker answers with. */
const runningText = (name: string) => /Response\("(.*)"\)/.exec(emu.state.accountScript(name)!.modules[0].text)![1];

describe("an upload", () => {
  it("records version 1 deployed at 100%, and answers its id as deployment_id", async () => {
    const uploaded = await deploy("worker", "one");
    const [version] = await versions("worker");
    expect(version).toMatchObject({ id: expect.stringMatching(UUID), number: 1, metadata: { source: "api" } });
    expect(uploaded.deployment_id).toBe(version.id);
    const [deployment] = await deployments("worker");
    expect(deployment).toMatchObject({ strategy: "percentage", source: "api", versions: [{ version_id: version.id, percentage: 100 }] });
  });

  it("of a Worker in a dispatch namespace answers no deployment_id (namespaced Workers have no versions API)", async () => {
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    const res = await cf.put<{ result: Record<string, unknown> }>(
      `/accounts/${account_id}/workers/dispatch/namespaces/tenants/scripts/t1`,
      {
        body: moduleForm("tenant"),
      },
    );
    expect(res.result).not.toHaveProperty("deployment_id");
  });
});

describe("POST …/versions", () => {
  it("records a new version without deploying it: the deployed code stays", async () => {
    await deploy("worker", "one");
    const created = await uploadVersion("worker", "two", { annotations: { "workers/message": "try two" } });
    expect(created).toMatchObject({ number: 2, resources: { script: { etag: expect.any(String) } }, startup_time_ms: 0 });
    expect((await versions("worker")).map((v) => v.number)).toEqual([2, 1]);
    expect(await deployments("worker")).toHaveLength(1);
    expect(runningText("worker")).toBe("one");
  });

  it("refuses a service-worker script with 400 / 10021: version upload needs main_module", async () => {
    await deploy("worker", "one");
    const form = workerForm({ body_part: "worker.js" }, { "worker.js": { code: "addEventListener('fetch', () => {});", type: CLASSIC } });
    const error = await rejectionOf(() => cf.post(accountScriptPath(account_id, "worker", "/versions"), { body: form }));
    expect([error.status, error.errors[0].code]).toEqual([400, 10021]);
  });

  it("answers 404 / 10007 for a Worker that does not exist", async () => {
    const error = await rejectionOf(() => uploadVersion("missing", "x"));
    expect([error.status, error.errors[0].code]).toEqual([404, 10007]);
  });
});

describe("GET …/versions and …/versions/:id", () => {
  it("lists newest first, page by page", async () => {
    await deploy("worker", "one");
    await uploadVersion("worker", "two");
    await uploadVersion("worker", "three");
    const page2 = await cf.get<{ result: { items: Array<{ number: number }> } }>(accountScriptPath(account_id, "worker", "/versions"), {
      query: { page: 2, per_page: 2 },
    });
    expect(page2.result.items.map((v) => v.number)).toEqual([1]);
  });

  it("answers one version with its bindings (no secret values) and runtime settings", async () => {
    await uploadAccountScript(
      cf,
      account_id,
      "worker",
      workerForm({
        main_module: "index.js",
        compatibility_date: "2025-01-01",
        bindings: [{ type: "secret_text", name: "KEY", text: "hidden" }],
      }),
    );
    const [listed] = await versions("worker");
    const version = await cf.workers.scripts.versions.get(listed.id!, { account_id, script_name: "worker" });
    expect(version.resources.bindings).toEqual([{ type: "secret_text", name: "KEY" }]);
    expect(version.resources.script_runtime).toMatchObject({ compatibility_date: "2025-01-01", usage_model: "standard" });
    expect(JSON.stringify(version)).not.toContain("hidden");
  });

  it("answers 404 / 10007 for an unknown version id", async () => {
    await deploy("worker", "one");
    const error = await rejectionOf(() =>
      cf.workers.scripts.versions.get("00000000-0000-4000-8000-000000000000", { account_id, script_name: "worker" }),
    );
    expect([error.status, error.errors[0].code]).toEqual([404, 10007]);
  });

  it("serves a version's code through content/v2?version=", async () => {
    await deploy("worker", "one");
    const two = await uploadVersion("worker", "two");
    const res = await fetch(`${emu.url}${accountScriptPath(account_id, "worker", "/content/v2")}?version=${two.id}`, {
      headers: { authorization: `Bearer ${emu.apiToken}` },
    });
    expect(await res.text()).toContain(`new Response("two")`);
  });
});

describe("POST …/deployments", () => {
  it("makes the deployed version the code that runs, and back again (rollback)", async () => {
    await deploy("worker", "one");
    const [one] = await versions("worker");
    const two = await uploadVersion("worker", "two");
    const deployment = await deployVersions("worker", [{ version_id: two.id, percentage: 100 }]);
    expect(runningText("worker")).toBe("two");
    expect((await deployments("worker"))[0].id).toBe(deployment.id);
    await deployVersions("worker", [{ version_id: one.id!, percentage: 100 }]);
    expect(runningText("worker")).toBe("one");
  });

  it("stores a split deployment; the local edge runs the version with the larger share", async () => {
    await deploy("worker", "one");
    const [one] = await versions("worker");
    const two = await uploadVersion("worker", "two");
    const split = [
      { version_id: one.id!, percentage: 30 },
      { version_id: two.id, percentage: 70 },
    ];
    const deployment = await deployVersions("worker", split);
    expect(deployment.versions).toEqual(split);
    expect(runningText("worker")).toBe("two");
  });

  it.each([
    [
      "percentages that do not total 100",
      (id: string) => ({ strategy: "percentage", versions: [{ version_id: id, percentage: 90 }] }),
      400,
      10026,
    ],
    [
      "a strategy other than percentage",
      (id: string) => ({ strategy: "all-at-once", versions: [{ version_id: id, percentage: 100 }] }),
      400,
      10026,
    ],
    ["no versions", () => ({ strategy: "percentage", versions: [] }), 400, 10026],
    [
      "an unknown version",
      () => ({ strategy: "percentage", versions: [{ version_id: "00000000-0000-4000-8000-000000000000", percentage: 100 }] }),
      404,
      10007,
    ],
  ])("refuses %s, changing nothing", async (_what, body, status, code) => {
    await deploy("worker", "one");
    const [one] = await versions("worker");
    const error = await rejectionOf(() => cf.post(accountScriptPath(account_id, "worker", "/deployments"), { body: body(one.id!) }));
    expect([error.status, error.errors[0].code]).toEqual([status, code]);
    expect(await deployments("worker")).toHaveLength(1);
  });
});

describe("GET|DELETE …/deployments/:id", () => {
  it("reads one deployment, deletes an older one, and refuses to delete the one serving traffic", async () => {
    await deploy("worker", "one");
    await deploy("worker", "two");
    const [latest, older] = await deployments("worker");
    const got = await cf.workers.scripts.deployments.get(older.id, { account_id, script_name: "worker" });
    expect(got.id).toBe(older.id);
    const refused = await rejectionOf(() => cf.workers.scripts.deployments.delete(latest.id, { account_id, script_name: "worker" }));
    expect([refused.status, refused.errors[0].code]).toEqual([400, 10021]);
    await cf.workers.scripts.deployments.delete(older.id, { account_id, script_name: "worker" });
    expect((await deployments("worker")).map((d) => d.id)).toEqual([latest.id]);
  });
});

describe("changes besides uploads", () => {
  it("a secret change deploys a new version marked as a secret change", async () => {
    await deploy("worker", "one");
    await cf.workers.scripts.secrets.update("worker", { account_id, name: "KEY", text: "v", type: "secret_text" });
    const [newest] = await versions("worker");
    const version = await cf.workers.scripts.versions.get(newest.id!, { account_id, script_name: "worker" });
    expect(newest.number).toBe(2);
    expect((version as any).annotations).toEqual({ "workers/triggered_by": "secret" });
    expect((await deployments("worker"))[0].versions).toEqual([{ version_id: newest.id, percentage: 100 }]);
  });

  it("a secret change is refused with 10215 while the newest version is not deployed", async () => {
    await deploy("worker", "one");
    await uploadVersion("worker", "two");
    const error = await rejectionOf(() =>
      cf.workers.scripts.secrets.update("worker", { account_id, name: "KEY", text: "v", type: "secret_text" }),
    );
    expect([error.status, error.errors[0].code]).toEqual([400, 10215]);
    expect(emu.state.accountScript("worker")!.bindings).toEqual([]);
  });

  it("a Worker deleted and uploaded again starts its history over", async () => {
    await deploy("worker", "one");
    await deploy("worker", "two");
    await cf.workers.scripts.delete("worker", { account_id });
    await deploy("worker", "three");
    expect((await versions("worker")).map((v) => v.number)).toEqual([1]);
  });
});
