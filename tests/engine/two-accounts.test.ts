/**
 * One program managing two Cloudflare accounts (examples/two-accounts): each resource reaches its
 * own account with its own token, given once per account, and neither token is stored in plain text.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

const STAGING = "5a0000000000000000000000000000a5";
const PRODUCTION = "9d0000000000000000000000000000d9";
const STAGING_TOKEN = "token-for-the-staging-account-only";
const PRODUCTION_TOKEN = "token-for-the-production-account-only";

let emu: Emulator;
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator({
    accounts: [{ id: STAGING }, { id: PRODUCTION }],
    tokens: [
      { token: STAGING_TOKEN, accounts: [STAGING] },
      { token: PRODUCTION_TOKEN, accounts: [PRODUCTION] },
    ],
  });
  // No default credentials: each resource must use its account's.
  const env = Object.fromEntries(
    Object.entries(emu.env).filter(([key]) => key !== "CLOUDFLARE_API_TOKEN" && key !== "CLOUDFLARE_ACCOUNT_ID"),
  );
  stack = await TestStack.create({
    program: "examples/two-accounts",
    env,
    config: {
      stagingAccountId: STAGING,
      productionAccountId: PRODUCTION,
      stagingToken: { value: STAGING_TOKEN, secret: true },
      productionToken: { value: PRODUCTION_TOKEN, secret: true },
    },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

describe("two accounts in one program", () => {
  it("previews, then puts each namespace and tenant in its own account", async () => {
    expect((await stack.preview()).changeSummary).toEqual({ create: 5 });
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    for (const [account, stage] of [
      [STAGING, "staging"],
      [PRODUCTION, "production"],
    ]) {
      expect(emu.state.namespace("customer-workers", account)).toBeDefined();
      expect(emu.state.script("customer-workers", "welcome", account)!.modules[0].text).toContain(`welcome to ${stage}`);
    }
    const backend = stack.allBackendText();
    expect(backend).not.toContain(STAGING_TOKEN);
    expect(backend).not.toContain(PRODUCTION_TOKEN);
  });

  it("is clean on the next preview and leaves both accounts empty after destroy", async () => {
    expect((await stack.preview()).changeSummary).toEqual({ same: 5 });
    await stack.destroy();
    expect(emu.state.namespaces(STAGING)).toEqual([]);
    expect(emu.state.namespaces(PRODUCTION)).toEqual([]);
  });
});
