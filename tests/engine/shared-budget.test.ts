/**
 * Several stacks, one Cloudflare account: three `pulumi up` processes of different stacks at once
 * (a platform sharding tenants across stacks, or CI running them in parallel) share one user's rate
 * budget. They know of each other only through the `Ratelimit` headers of Cloudflare's answers, and
 * exceeding the limit would block every call of all of them for a whole window (the documented
 * five-minute block, scaled down here with the limit). All must complete without a single 429.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(600_000);

/** Cloudflare's 1200 per 300 s with a 300 s block, scaled down: 30 per 10 s, blocked 10 s. */
const LIMIT = { requests: 30, windowMs: 10_000, blockMs: 10_000 };
const STACKS = 3;
const TENANTS = 12;

let emu: Emulator;
const stacks: TestStack[] = [];

beforeAll(async () => {
  emu = await startEmulator({ rateLimit: LIMIT });
});
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.dispose()));
  await emu?.close();
});

it("three stacks going up at once on one account share its budget through the headers: all complete, no 429", async () => {
  for (let i = 0; i < STACKS; i++) {
    // No CLOUDFLARE_WFP_RATE_LIMIT: each provider learns the limit from Cloudflare's answers.
    stacks.push(await TestStack.create({ program: "fleet", env: emu.env, config: { namespace: `shard-${i}`, tenants: String(TENANTS) } }));
  }
  emu.requests.clear();

  const started = Date.now();
  const ups = await Promise.all(stacks.map((s) => s.up()));
  const seconds = (Date.now() - started) / 1000;

  expect(ups.map((u) => u.summary.result)).toEqual(Array(STACKS).fill("succeeded"));
  for (let i = 0; i < STACKS; i++) expect(emu.state.scripts(`shard-${i}`)).toHaveLength(TENANTS);
  const refused = emu.requests.count({ rateLimited: true });
  expect(refused).toBe(0);
  // The three together needed more than one window's worth: the budget was really shared and waited for.
  expect(emu.requests.count()).toBeGreaterThan(LIMIT.requests);
  expect(seconds * 1000).toBeGreaterThanOrEqual(LIMIT.windowMs);
  process.stdout.write(
    `[shared-budget] ${STACKS} stacks x ${TENANTS} tenants at ${LIMIT.requests}/${LIMIT.windowMs / 1000}s (block ${LIMIT.blockMs / 1000}s): ` +
      `${emu.requests.count()} requests, ${refused} x 429, ${seconds.toFixed(1)} s\n`,
  );
});
