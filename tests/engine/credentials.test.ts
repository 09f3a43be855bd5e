/**
 * Where credentials come from, under the real engine: the stack config (`cloudflare:apiToken`,
 * `cloudflare:accountId`, `cloudflare:baseUrl`) with nothing in the environment, and a token given
 * to every resource as a plain string, which must still never reach the state in plain text.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

let emu: Emulator;
beforeAll(async () => (emu = await startEmulator()));
afterAll(async () => emu?.close());
beforeEach(() => emu.reset());

/** The engine's environment with no Cloudflare variable at all. */
function withoutCloudflareEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(emu.env).filter(([key]) => !key.startsWith("CLOUDFLARE_")));
}

describe("credentials from the stack config alone", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("preview and up reach the account named in config, with the token and base URL from config", async () => {
    const saved = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith("CLOUDFLARE_"))
        .map((k) => [k, process.env[k]]),
    );
    for (const key of Object.keys(saved)) delete process.env[key]; // the engine inherits jest's environment otherwise
    try {
      stack = await TestStack.create({
        program: "namespace",
        env: withoutCloudflareEnv(),
        config: {
          name: "from-config",
          "cloudflare:apiToken": { value: emu.apiToken, secret: true },
          "cloudflare:accountId": emu.accountId,
          "cloudflare:baseUrl": emu.url,
        },
      });
      const preview = await stack.preview();
      expect(preview.changeSummary).toEqual({ create: 2 });
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.outputs.accountId.value).toBe(emu.accountId);
      expect(emu.state.namespace("from-config")).toBeDefined();
      expect(stack.allBackendText()).not.toContain(emu.apiToken);

      // A wrong token in config is named at preview, before anything is written.
      emu.requests.clear();
      await stack.setConfig({ "cloudflare:apiToken": { value: "not-a-token-anyone-issued", secret: true }, name: "other-name" });
      const refused = await stack.preview().then(
        () => "succeeded",
        (error: Error) => String(error),
      );
      expect(refused).toMatch(/apiToken/);
      expect(emu.requests.writes()).toEqual([]);
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe("a token given to every resource as a plain string", () => {
  let stack: TestStack;
  afterEach(async () => stack?.dispose());

  it("is stored encrypted in state and never printed", async () => {
    stack = await TestStack.create({
      program: "plain-token",
      env: { ...withoutCloudflareEnv(), WFP_PLAIN_TOKEN: emu.apiToken },
      config: { "cloudflare:baseUrl": emu.url },
    });
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(emu.state.script("plain-token-tenants", "tenant")).toBeDefined(); // the token really authenticated
    const backend = stack.allBackendText();
    expect(backend).toContain("ciphertext");
    expect(backend).not.toContain(emu.apiToken);
    expect(up.output).not.toContain(emu.apiToken);
    expect((await stack.preview()).output).not.toContain(emu.apiToken);
    await stack.destroy();
    expect(emu.state.namespaces()).toEqual([]);
  });
});
