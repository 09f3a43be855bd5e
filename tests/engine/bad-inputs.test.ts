/**
 * Bad input under the real engine: each wrong value, set in turn in the stack config of one
 * program, must make `pulumi preview` fail with a message naming the property at fault, before a
 * single request that writes reaches Cloudflare.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(600_000);

/** Another account, and a token that can see only it: valid, but without access to ours. */
const OTHER_ACCOUNT = "0123456789abcdef0123456789abcd00";
const ELSEWHERE_TOKEN = "token-scoped-to-another-account-0001";
/** A token that may read but not write. */
const READ_ONLY_TOKEN = "token-with-read-permission-only-0002";

let emu: Emulator;
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator({
    accounts: [{ id: OTHER_ACCOUNT }],
    tokens: [
      { token: ELSEWHERE_TOKEN, accounts: [OTHER_ACCOUNT] },
      { token: READ_ONLY_TOKEN, permission: "read" },
    ],
  });
  stack = await TestStack.create({ program: "bad-inputs", env: { ...emu.env } });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});
beforeEach(() => emu.requests.clear());

const writes = () => emu.requests.writes().map((r) => `${r.method} ${r.path} -> ${r.status}`);
const secret = (value: string) => ({ value, secret: true as const });

/** Applies `config` and environment changes for one preview, then puts everything back. */
async function previewWith(config: Record<string, string | { value: string; secret: true }>, dropEnv: string[] = []) {
  const env = stack.stack.workspace.envVars;
  const saved = Object.fromEntries(dropEnv.map((k) => [k, env[k]]));
  for (const key of dropEnv) delete env[key];
  await stack.setConfig(config);
  try {
    return await stack.preview().then(
      (result) => ({ failed: false, output: result.output }),
      (error: Error) => ({ failed: true, output: String(error) }),
    );
  } finally {
    await stack.removeConfig(...Object.keys(config));
    Object.assign(env, saved);
  }
}

it("previews the program clean with good inputs, so each failure below is its bad value's", async () => {
  const preview = await stack.preview();
  expect(preview.changeSummary).toEqual({ create: 3 });
  expect(writes()).toEqual([]);
});

describe.each<[string, Record<string, string | { value: string; secret: true }>, string[], RegExp]>([
  ["a namespace name that is too long", { namespace: "n".repeat(64) }, [], /namespace 'n{64}' must be 1-63 characters/],
  [
    "a namespace name with characters Cloudflare refuses",
    { namespace: "Tenants!" },
    [],
    /namespace 'Tenants!' must be 1-63 characters of lowercase letters/,
  ],
  ["a script name that is too long", { scriptName: "s".repeat(64) }, [], /scriptName 's{64}' must be 1-63 characters/],
  ["a script name with characters Cloudflare refuses", { scriptName: "My Worker" }, [], /scriptName 'My Worker' must be 1-63 characters/],
  [
    "a compatibility date that is not a date",
    { compatibilityDate: "2024-13-01" },
    [],
    /compatibilityDate '2024-13-01' is not a calendar date/,
  ],
  ["a compatibility date in the future", { compatibilityDate: "2999-01-01" }, [], /compatibilityDate '2999-01-01' is in the future/],
  [
    "a compatibility date in another format",
    { compatibilityDate: "23/09/2024" },
    [],
    /compatibilityDate must be a date in the form YYYY-MM-DD/,
  ],
  ["a binding of a kind that does not exist", { bindingType: "telepathy" }, [], /bindings\.X: unknown binding type "telepathy"/],
  ["an entrypoint file that does not exist", { code: "entrypoint", entrypoint: "src/missing.ts" }, [], /entrypoint.*src\/missing\.ts/],
  [
    "an entrypoint that does not bundle",
    { code: "entrypoint", entrypoint: "src/broken.js" },
    [],
    /bundling src\/broken\.js failed: .*Unterminated string literal/,
  ],
  ["both content and entrypoint", { code: "both" }, [], /entrypoint.*give exactly one of content \(an inline ES module\) or entrypoint/],
  ["neither content nor entrypoint", { code: "neither" }, [], /content.*give exactly one of content \(an inline ES module\) or entrypoint/],
  ["no credentials anywhere", {}, ["CLOUDFLARE_API_TOKEN"], /apiToken.*no Cloudflare credentials found/],
  [
    "an account id the token cannot reach",
    { accountId: "fedcba9876543210fedcba9876543210" },
    [],
    /accountId.*account fedcba9876543210fedcba9876543210 is not reachable/,
  ],
  ["an account id that is not an account id", { accountId: "my-account" }, [], /accountId 'my-account' must be a Cloudflare account id/],
  [
    "a token without access to the account",
    { apiToken: secret(ELSEWHERE_TOKEN) },
    [],
    /account [0-9a-f]{32} is not reachable with these credentials.*apiToken/,
  ],
])("%s", (_what, config, dropEnv, message) => {
  it("fails preview naming the property, and nothing is written", async () => {
    const preview = await previewWith(config, dropEnv);
    expect(preview.failed).toBe(true);
    expect(preview.output).toMatch(message);
    expect(writes()).toEqual([]);
  });
});

describe("a token that may read but not write", () => {
  // Nothing tells a read-only token from an editing one without attempting a write, so preview
  // cannot know; `up` fails at its first write, naming the credential and the permission it needs.
  it("fails up at the first write, naming apiToken and the permission, and creates nothing", async () => {
    await stack.setConfig({ apiToken: secret(READ_ONLY_TOKEN) });
    const failure = await stack.up().then(
      () => "succeeded",
      (error: Error) => String(error),
    );
    await stack.removeConfig("apiToken");
    expect(failure).toMatch(
      /creating dispatch namespace 'bad-inputs': Cloudflare refused it \(HTTP 403, code 10000\): Authentication error.*check the apiToken.*Workers Scripts:Edit permission/,
    );
    // Each resource's first write was refused once, not retried: a 403 is final.
    expect(writes().sort()).toEqual([
      `POST /accounts/${emu.accountId}/workers/dispatch/namespaces -> 403`,
      `PUT /accounts/${emu.accountId}/workers/dispatch/namespaces/bad-inputs/scripts/worker -> 403`,
    ]);
    expect(emu.state.namespaces()).toEqual([]);
  });
});
