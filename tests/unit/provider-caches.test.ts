/**
 * What a provider remembers between calls lives in its context (provider/caches.ts): two providers
 * in one process each remember their own work and never read the other's. A memo keeps its size
 * rule (it forgets everything once full), and a memo never changes a result, only how often it is
 * computed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providersIn } from "../../provider";
import type { ProviderCaches } from "../../provider/caches";
import { KeyOrders, canonical } from "../../provider/framework/canonical-json";
import { BoundedMemo } from "../../provider/framework/memo";
import { EffectiveSpecsMemo } from "../../provider/fleet/plan";
import { providerContext, useProviderEmulator } from "./provider-emulator";
import { sdk } from "../emulator/helpers";
import type { Emulator } from "../../emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const NS = "tenants";
const CODE = 'export default { fetch(req, env) { return new Response("hello " + env.TENANT) } }';

let dir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caches-"));
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** How many entries each of a context's memos holds. */
function sizes(caches: ProviderCaches): Record<string, number> {
  return {
    inlineVerdicts: caches.inlineVerdicts.size,
    code: caches.code.size,
    inlineHashes: caches.inlineHashes.size,
    tenantSpecs: caches.tenantSpecs.size,
    tenantSecrets: caches.tenantSecrets.size,
  };
}

const EMPTY = { inlineVerdicts: 0, code: 0, inlineHashes: 0, tenantSpecs: 0, tenantSecrets: 0 };

describe("two providers in one process", () => {
  it("each remember only the work done through them", async () => {
    const first = providerContext(env);
    const second = providerContext(env);
    expect(first.caches).not.toBe(second.caches);

    // The first checks and diffs a fleet of tenants sharing inline code (as the sdk registers them: a text each) ...
    const tenants = Object.fromEntries(
      ["tenant-a", "tenant-b"].map((name) => [name, JSON.stringify({ bindings: { TENANT: name }, tags: [name] })]),
    );
    const provider = providersIn(first).TenantFleet;
    const fleet = await provider.check!(
      {},
      { namespace: NS, __defaults: JSON.stringify({ content: CODE, compatibilityDate: "2025-01-01" }), __tenants: tenants },
    );
    expect(fleet.failures).toBeUndefined();
    expect((await provider.diff!(NS, { namespace: NS, accountId: emu.accountId, scripts: "" }, fleet.inputs)).changes).toBe(true);
    const afterFleet = sizes(first.caches);
    expect(afterFleet.inlineVerdicts).toBe(1);
    expect(afterFleet.tenantSpecs).toBe(3); // the defaults and each tenant's text
    expect(afterFleet.inlineHashes).toBe(1);
    expect(sizes(second.caches)).toEqual(EMPTY);

    // ... the second checks a script bundled from an entrypoint: only its own context holds the bundle.
    fs.writeFileSync(path.join(dir, "worker.ts"), "export default { fetch(): Response { return new Response('hi'); } };");
    const script = await providersIn(second).NamespacedWorkerScript.check!(
      {},
      { namespace: NS, scriptName: "bundled", entrypoint: path.join(dir, "worker.ts") },
    );
    expect(script.failures).toBeUndefined();
    expect(sizes(second.caches)).toEqual({ ...EMPTY, code: 1 });
    expect(sizes(first.caches)).toEqual(afterFleet);
  });
});

describe("a memo", () => {
  it("merges a fleet's specs once per inputs, recognised by the maps they merge, and keeps the last few", () => {
    const memo = new EffectiveSpecsMemo(2);
    let merged = 0;
    const merge = () => (merged++, { a: { tags: ["a"] } });
    const tenants = { a: '{"tags":["a"]}' };
    const inputs = { __tenants: tenants, __defaults: "{}" };
    const first = memo.of(inputs, merge);
    expect(memo.of({ ...inputs, contentHashes: {} }, merge)).toBe(first); // a copy of the inputs with the same maps
    expect(merged).toBe(1);
    memo.of({ ...inputs, __tenants: { ...tenants } }, merge); // another map: merged again
    memo.of({ ...inputs, tenantSecrets: "a API_KEY=k" }, merge); // other secrets: merged again
    expect(merged).toBe(3);
    memo.of(inputs, merge); // pushed out by the last two
    expect(merged).toBe(4);
  });

  it("computes a value once and forgets everything once it holds its limit", () => {
    const memo = new BoundedMemo<string, number>(2);
    let computed = 0;
    const length = (key: string) => (computed++, key.length);
    expect([memo.of("a", length), memo.of("bb", length), memo.of("a", length)]).toEqual([1, 2, 1]);
    expect(computed).toBe(2);
    expect(memo.of("ccc", length)).toBe(3);
    expect([memo.size, memo.has("a"), memo.has("ccc")]).toEqual([1, false, true]);
  });

  it("writes the same canonical text as sorting each time", () => {
    const orders = new KeyOrders();
    const values = [
      { b: 1, a: [{ z: null, y: "x" }], 10: true, 2: { B: 1, a: 2 } },
      { a: [{ y: "x", z: null }], b: 1, 2: { a: 2, B: 1 }, 10: true },
      { bindings: { TENANT: { type: "plain_text", text: "t" } }, tags: ["t"], skipped: undefined },
    ];
    for (const value of values) {
      expect(canonical(value, orders)).toBe(canonical(value));
      expect(canonical(value, orders)).toBe(canonical(value)); // a second time, from the memo
    }
    expect(canonical(values[0], orders)).toBe(canonical(values[1], orders));
  });
});
