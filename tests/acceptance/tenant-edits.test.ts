/**
 * A tenant's plan tag changed, then its API key rotated, by a user with the `pulumi` CLI: each `up`
 * sends the one small call that carries the change (the tags, then the one secret) and never the
 * tenant's code again; the secret's new value reaches Cloudflare, and never the CLI's output.
 */
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(programsDir, "tenant-edits"), env: emu.env });
  await project.setConfig("plan", "free");
  await project.setConfig("apiKey", "key-one", { secret: true });
  expectSuccess(await project.pulumi("up", "--yes"));
});
tearDownAfterAll(() => ({ emu, project }));

const scriptPath = () => `/accounts/${emu.accountId}/workers/dispatch/namespaces/edits/scripts/shop`;
const shop = async () => (await emu.account()).dispatchNamespaces[0].scripts["shop"];

describe("a tenant's tag and secret changed without its code", () => {
  it("sends only the tags when the plan changes", async () => {
    const before = await shop();
    await project.setConfig("plan", "pro");
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    expect(resourceSummary(up.output)).toMatchObject({ updated: 1 });
    const writes = (await emu.requests()).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${scriptPath()}/tags`]);
    expect(writes[0].body).toEqual(["plan-pro"]);
    expect((await shop()).tags).toEqual(["plan-pro"]);
    expect((await shop()).etag).toBe(before.etag);
    expectSuccess(await project.pulumi("preview", "--expect-no-changes"));
  });

  it("sends only the rotated secret when the API key changes, keeping its value out of the output", async () => {
    await project.setConfig("apiKey", "key-rotated", { secret: true });
    await emu.clearRequests();
    const up = await project.pulumi("up", "--yes", "--diff");
    expectSuccess(up);
    const writes = (await emu.requests()).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${scriptPath()}/secrets`]);
    expect(writes[0].body).toMatchObject({ name: "API_KEY", type: "secret_text" });
    expect(up.output).not.toContain("key-rotated");
    expect(JSON.stringify(await project.deployment())).not.toContain("key-rotated");
    expect(await emu.secretMatches({ namespace: "edits", script: "shop", name: "API_KEY" }, "key-rotated")).toBe(true);
    expectSuccess(await project.pulumi("refresh", "--yes"));
    expectSuccess(await project.pulumi("preview", "--expect-no-changes"));
  });
});
