/**
 * Secrets under the real engine: the API token (given as secret stack config and passed to every
 * resource as its `apiToken` input) and every secret_text binding value must never appear in plain
 * text — not in the state, its history and backups, not in what `up` prints, not in the engine's
 * event log (which carries every resource's inputs and outputs), and not in `preview --diff`.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

const SIGNING_KEY = "whsec_3c1f6e0b9a2d47e8";
const ROTATED_KEY = "whsec_77aa0d4c5b1e92f3";
const TENANTS = 3;

let emu: Emulator;
let stack: TestStack;
/** Every secret the program handles, rotated ones included. */
let secrets: string[];

beforeAll(async () => {
  emu = await startEmulator();
  // The token reaches the provider only through the program's secret config, never the environment.
  const { CLOUDFLARE_API_TOKEN: token, ...env } = emu.env;
  secrets = [token, ...[SIGNING_KEY, ROTATED_KEY].flatMap((key) => [key, ...Array.from({ length: TENANTS }, (_, i) => `${key}-${i}`)])];
  stack = await TestStack.create({
    program: "fleet",
    env,
    config: {
      namespace: "secretive",
      tenants: String(TENANTS),
      apiToken: { value: token, secret: true },
      signingKey: { value: SIGNING_KEY, secret: true },
    },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

/** The secrets found in `text` (expected: none). */
const leaked = (text: string) => secrets.filter((s) => text.includes(s));

describe("a namespace and tenants with secret bindings, credentials given as secret config", () => {
  it("go up, with the secrets really used: the token authenticated and each tenant holds its own key", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    // The stored binding (what the edge runs the Worker with; the recorded metadata leaves the value out).
    expect(emu.state.script("secretive", "tenant-001")!.bindings).toEqual([
      { name: "SIGNING_KEY", type: "secret_text", text: `${SIGNING_KEY}-1` },
    ]);

    expect(leaked(up.output)).toEqual([]);
    expect(leaked(JSON.stringify(up.events))).toEqual([]);
    // The event log does carry the resources' inputs, with the secrets masked.
    expect(JSON.stringify(up.events)).toContain("[secret]");
  });

  it("keep them out of the state, its history and backups", async () => {
    const backend = stack.allBackendText();
    expect(backend).toContain("tenant-002"); // the state is really there
    expect(backend).toContain("ciphertext"); // and holds the secrets encrypted
    expect(leaked(backend)).toEqual([]);
  });

  it("keep them out of preview --diff, also when a secret changes", async () => {
    expect(leaked((await stack.preview()).output)).toEqual([]);

    await stack.setConfig({ signingKey: { value: ROTATED_KEY, secret: true } });
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2, update: TENANTS });
    expect(leaked(preview.output)).toEqual([]);

    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 2, update: TENANTS });
    expect(leaked(up.output)).toEqual([]);
    expect(leaked(JSON.stringify(up.events))).toEqual([]);
    expect(leaked(stack.allBackendText())).toEqual([]);
  });

  it("keep them out of refresh and destroy output", async () => {
    expect(leaked((await stack.refresh()).output)).toEqual([]);
    const destroyed = await stack.destroy();
    expect(leaked(destroyed.stdout + destroyed.stderr)).toEqual([]);
    expect(emu.state.namespaces()).toEqual([]);
    expect(leaked(stack.allBackendText())).toEqual([]);
  });
});
