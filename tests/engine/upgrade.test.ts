/**
 * State is a contract with every stack in the field: each resource's state stores
 * `require("pulumi-cloudflare-wfp/dist/sdk/provider-shims/<kind>.js")`, and `refresh` and `destroy`
 * run what that path loads. A stack made with the package as it was at an earlier commit (built and
 * packed from git history) must refresh, update and destroy with the current package.
 */
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { installEarlier, upgradeInstalled } from "./harness/earlier-package";
import { repoRoot } from "./harness/paths";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(600_000);

/** The last release of the package before the API changes this spec guards (provider shims already stored as a require). */
const EARLIER = "1d51599";
const upgradeWorkspace = path.join(repoRoot, ".pulumi-test", "upgrade");

let emu: Emulator;
let stack: TestStack;

beforeAll(async () => {
  installEarlier(EARLIER, upgradeWorkspace);
  emu = await startEmulator();
  stack = await TestStack.create({
    program: "upgrade",
    env: { ...emu.env },
    workspace: upgradeWorkspace,
    config: { apiKey: { value: "k-1", secret: true } },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

describe(`a stack made with the package at ${EARLIER}`, () => {
  it("goes up with that version, storing the provider as a require of the shim path", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const state = await stack.stack.exportStack();
    const providers = state.deployment.resources
      .filter((r: { inputs?: { __provider?: string } }) => r.inputs?.__provider)
      .map((r: { inputs: { __provider: string } }) => r.inputs.__provider);
    expect(providers).toHaveLength(4);
    for (const provider of providers)
      expect(provider).toMatch(/require\("pulumi-cloudflare-wfp\/dist\/sdk\/provider-shims\/[a-z-]+\.js"\)/);
  });

  describe("after upgrading the installed package", () => {
    beforeAll(() => upgradeInstalled(upgradeWorkspace));

    it("refreshes with no change", async () => {
      const refresh = await stack.refresh();
      expect(refresh.summary.result).toBe("succeeded");
      expect(refresh.summary.resourceChanges).toEqual({ same: 5 });
    });

    it("previews the unchanged program as unchanged", async () => {
      expect((await stack.preview()).changeSummary).toEqual({ same: 5 });
    });

    it("updates a tenant in place with one upload", async () => {
      emu.requests.clear();
      await stack.setConfig({ greeting: "hello after the upgrade" });
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ same: 4, update: 1 });
      expect(emu.requests.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
        `PUT /accounts/${emu.accountId}/workers/dispatch/namespaces/upgrade-tenants/scripts/tenant`,
      ]);
      expect(emu.state.script("upgrade-tenants", "tenant")!.modules[0].text).toContain("hello after the upgrade");
      expect(emu.state.script("upgrade-tenants", "tenant")!.bindings).toContainEqual({ type: "secret_text", name: "API_KEY", text: "k-1" });
    });

    it("destroys everything", async () => {
      const destroyed = await stack.destroy();
      expect(destroyed.summary.result).toBe("succeeded");
      expect(emu.state.namespaces()).toEqual([]);
      expect(emu.state.accountScripts()).toEqual([]);
      expect(emu.state.kvNamespaces()).toEqual([]);
      expect(emu.state.routes()).toEqual([]);
    });
  });
});
