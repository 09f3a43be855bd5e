/**
 * DispatchNamespace under the real Pulumi engine (Go-built CLI, Node language host, dynamic provider
 * process) against the emulator: what a user sees from `pulumi up`, `preview`, `refresh`, `destroy`.
 */
import Cloudflare from "cloudflare";
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(240_000);

let emu: Emulator;
let cf: Cloudflare; // an out-of-band client, like a colleague using the dashboard

beforeAll(async () => {
  emu = await startEmulator();
  cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url, maxRetries: 0 });
});
afterAll(async () => emu?.close());
beforeEach(() => emu.reset());

const writes = () => emu.requests.writes().map((r) => `${r.method} ${r.path}`);

function namespaceStack(config: Record<string, string | { value: string; secret: true }>, env = emu.env) {
  return TestStack.create({ program: "namespace", env: { ...env }, config });
}

describe("a new namespace", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("is created by up, is stable on a second up and preview, renames in place, and is gone after destroy", async () => {
    stack = await namespaceStack({ name: "production-tenants" });

    const first = await stack.up();
    expect(first.summary.result).toBe("succeeded");
    expect(first.output).not.toContain("from $PATH"); // the dynamic-provider plugin is found where a Pulumi install keeps it
    const created = emu.state.namespace("production-tenants");
    expect(created).toBeDefined();
    expect(first.outputs.namespaceId.value).toBe(created!.namespace_id);
    expect(first.outputs.accountId.value).toBe(emu.accountId);
    expect(first.outputs.scriptCount.value).toBe(0);
    expect(first.outputs.adopted.value).toBe(false);
    expect(writes()).toEqual([`POST /accounts/${emu.accountId}/workers/dispatch/namespaces`]);

    emu.requests.clear();
    const again = await stack.up();
    expect(again.summary.resourceChanges).toEqual({ same: 2 });
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(writes()).toEqual([]);

    await stack.setConfig({ name: "renamed-tenants" });
    emu.requests.clear();
    const renamePreview = await stack.preview();
    expect(renamePreview.changeSummary).toEqual({ same: 1, update: 1 });
    expect(renamePreview.output).toMatch(/namespace\s*:\s*"production-tenants"\s*=>\s*"renamed-tenants"/);
    expect(writes()).toEqual([]);

    const renamed = await stack.up();
    expect(renamed.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(writes()).toEqual([`PUT /accounts/${emu.accountId}/workers/dispatch/namespaces/production-tenants`]);
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["renamed-tenants"]);
    expect(renamed.outputs.namespaceId.value).toBe(created!.namespace_id); // same namespace, not a replacement

    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
  });
});

describe("refresh", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("sees a rename made outside Pulumi, and the next up renames it back", async () => {
    stack = await namespaceStack({ name: "billing" });
    await stack.up();
    await cf.put(`/accounts/${emu.accountId}/workers/dispatch/namespaces/billing`, { body: { name: "billing-moved" } });

    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ update: 1 });

    await stack.up();
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["billing"]);
    await stack.destroy();
  });

  it("drops a namespace deleted outside Pulumi from state, and the next up creates it again", async () => {
    stack = await namespaceStack({ name: "ephemeral" });
    await stack.up();
    await cf.workersForPlatforms.dispatch.namespaces.delete("ephemeral", { account_id: emu.accountId });

    const refreshed = await stack.refresh();
    expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 1 });
    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ create: 1 });
    await stack.up();
    expect(emu.state.namespace("ephemeral")).toBeDefined();
    await stack.destroy();
  });
});

describe("an existing namespace", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  async function existing(name: string) {
    const ns = await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name });
    emu.requests.clear(); // from here on, the log holds only what Pulumi sent
    return ns;
  }

  it("makes up fail clearly when neither adopt nor import is given, and creates nothing", async () => {
    const before = await existing("taken");
    stack = await namespaceStack({ name: "taken" });
    await expect(stack.up()).rejects.toThrow(/creating dispatch namespace 'taken'.*already exists.*adopt: true/s);
    expect(emu.state.namespaces().map((n) => n.namespace_id)).toEqual([before.namespace_id]);
  });

  it("is taken over with adopt: true, and the next preview shows no change", async () => {
    const before = await existing("legacy-tenants");
    stack = await namespaceStack({ name: "legacy-tenants", adopt: "true" });
    const up = await stack.up();
    expect(up.outputs.namespaceId.value).toBe(before.namespace_id);
    expect(up.outputs.adopted.value).toBe(true);
    expect(emu.state.namespaces()).toHaveLength(1);
    expect((await stack.preview()).changeSummary).toEqual({ same: 2 });
  });

  it("is brought in by the import resource option: preview says adopted, up keeps its id, then no diff", async () => {
    const before = await existing("imported-tenants");
    stack = await namespaceStack({ name: "imported-tenants", import: "imported-tenants" });

    const announcement = "the existing dispatch namespace 'imported-tenants' will be adopted, not created";
    const preview = await stack.preview();
    expect(preview.output.split(announcement)).toHaveLength(2); // said once (the diagnostics summary aside)
    const up = await stack.up();
    expect(up.output).not.toContain(announcement); // the update phase does not repeat the preview's line
    expect(up.outputs.namespaceId.value).toBe(before.namespace_id);
    expect(emu.requests.count({ method: "POST" })).toBe(0); // adopted, never created
    const again = await stack.preview();
    expect(again.changeSummary).toEqual({ same: 2 });
    expect(again.output).not.toContain(announcement); // in state now: nothing left to announce

    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
  });

  it("fails at preview an import of a namespace that does not exist, naming it, creating nothing", async () => {
    stack = await namespaceStack({ name: "nowhere", import: "nowhere" });
    await expect(stack.preview()).rejects.toThrow(/the import option names dispatch namespace 'nowhere', which does not exist/);
    expect(emu.state.namespaces()).toEqual([]);
  });
});

describe("bad input fails at preview with the property and the rule, and creates nothing", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("rejects an invalid namespace name", async () => {
    stack = await namespaceStack({ name: "Not A Valid Name!" });
    await expect(stack.preview()).rejects.toThrow(/namespace 'Not A Valid Name!' must be 1-63 characters of lowercase letters/);
    expect(writes()).toEqual([]);
  });

  it("rejects missing credentials, naming apiToken and where credentials come from", async () => {
    const { CLOUDFLARE_API_TOKEN: _dropped, ...withoutToken } = emu.env;
    stack = await namespaceStack({ name: "orphan" }, withoutToken as typeof emu.env);
    await expect(stack.preview()).rejects.toThrow(/apiToken.*no Cloudflare credentials found.*CLOUDFLARE_API_TOKEN/s);
    expect(emu.requests.count()).toBe(0);
  });

  it("rejects an account the token cannot reach, naming accountId", async () => {
    stack = await namespaceStack({ name: "elsewhere", accountId: "0123456789abcdef0123456789abcdef" });
    await expect(stack.preview()).rejects.toThrow(/accountId.*account 0123456789abcdef0123456789abcdef is not reachable/s);
    expect(writes()).toEqual([]);
  });
});

describe("credentials", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("come from stack config or inputs, with the account discovered, and never reach the state in plain text", async () => {
    const { CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: _acct, ...rest } = emu.env;
    stack = await namespaceStack({ name: "secretive", apiToken: { value: token, secret: true } }, rest as typeof emu.env);
    const up = await stack.up();
    expect(up.outputs.accountId.value).toBe(emu.accountId); // the only account the token sees
    expect(up.output).not.toContain(token);
    const state = stack.allBackendText();
    expect(state).toContain("secretive");
    expect(state).not.toContain(token);
    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
  });
});
