/**
 * A TenantFleet's tag and secret changes against the emulator (no engine): a tenant whose change
 * is only its tags or its secrets gets those calls (the rule of a NamespacedWorkerScript), not an
 * upload of its code; state records what Cloudflare then reports, so refresh finds no drift and the
 * next preview no change. Anything else, and a tenant state does not show at the spec the change
 * starts from, is uploaded as before.
 */
import type { Emulator } from "../../emulator";
import { tenantStatesOf } from "../../provider/fleet/states";
import { unwrapSecret } from "../../provider/framework/secret";
import { tenantFleetResource } from "../../provider/resources/tenant-fleet";
import type { TenantFleetInputs, TenantFleetOutputs as Outputs } from "../../provider/resources/tenant-fleet";
import type { TenantSpec } from "../../provider/fleet/spec";
import { findSecret, secretValueMatches } from "../../emulator/workers/secrets";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const NS = "fleet-edits";
const CODE = 'export default { fetch(req, env) { return new Response("hello " + env.TENANT) } }';

const env = useProviderEmulator((e) => (emu = e));
let fleet: ReturnType<typeof tenantFleetResource>;
beforeEach(async () => {
  fleet = tenantFleetResource(providerContext(env));
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  emu.requests.clear();
});

type Inputs = Omit<TenantFleetInputs, "__tenants" | "__defaults"> & { __tenants: Record<string, TenantSpec>; __defaults?: TenantSpec };

const names = (n: number) => Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(4, "0")}`);
const prefix = () => `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/`;
/** Each write as "METHOD path below the namespace's scripts", with its body. */
const writes = () => emu.requests.writes().map((w) => ({ call: `${w.method} ${w.path.replace(prefix(), "")}`, body: w.body }));
const calls = () => writes().map((w) => w.call);
/** Script uploads: a PUT of the script itself. */
const uploads = () => calls().filter((c) => /^PUT [^/]+$/.test(c));
const lists = () =>
  emu.requests.filter({ method: "GET" }).filter((e) => e.path === `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts`);
const states = (outs: Outputs) => tenantStatesOf(outs.scripts);
const secret = (text: string) => ({ type: "secret_text", text }) as const;
/** Whether a tenant's secret holds `value` in the emulator (the request log never shows a secret's value, nor does Cloudflare). */
const holds = (tenant: string, name: string, value: string) => {
  const found = findSecret(emu.state.script(NS, tenant)?.bindings ?? [], name);
  return found !== undefined && secretValueMatches(found, value);
};

function fleetOf(tenantNames: string[], tenant: (name: string) => TenantSpec, defaults: TenantSpec = {}): Inputs {
  return {
    namespace: NS,
    __defaults: { content: CODE, compatibilityDate: "2025-01-01", ...defaults },
    __tenants: Object.fromEntries(tenantNames.map((t) => [t, { bindings: { TENANT: { type: "plain_text", text: t } }, ...tenant(t) }])),
  };
}

async function checked(news: Inputs, olds: Partial<Inputs> = {}): Promise<Inputs> {
  const result = await fleet.check(olds, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as Inputs;
}

/** One `up` from `olds` (inputs and state of the last one) to `news`: check, diff, update. */
async function up(olds: { news: Inputs; outs: Outputs }, news: Inputs): Promise<{ news: Inputs; outs: Outputs }> {
  const c = await checked(news, olds.news);
  expect((await fleet.diff("ns", olds.outs, c)).changes).toBe(true);
  const { outs } = await fleet.update("ns", olds.outs, c);
  return { news: c, outs: outs as Outputs };
}

async function created(news: Inputs): Promise<{ news: Inputs; outs: Outputs }> {
  const c = await checked(news);
  const { outs } = await fleet.create(c);
  emu.requests.clear();
  return { news: c, outs: outs as Outputs };
}

/** After an `up`: refresh reports the state as it is, and the same program again is no change. */
async function expectNoDriftAndNoChange(last: { news: Inputs; outs: Outputs }, program: Inputs): Promise<void> {
  const read = await fleet.read("ns", last.outs);
  expect(read.inputs).toBeUndefined(); // nothing found changed outside Pulumi
  expect(states(read.props as Outputs)).toEqual(states(last.outs));
  const again = await checked(program, last.news);
  expect(again.changes).toBe(`no changes to ${Object.keys(program.__tenants).length} tenants`);
  expect((await fleet.diff("ns", last.outs, again)).changes).toBe(false);
}

describe("re-tagging tenants", () => {
  it("sends one tag call per tenant with its whole tag list, the fleet's own tags included, and no upload", async () => {
    const tenants = names(50);
    const first = await created(fleetOf(tenants, (t) => ({ tags: [t] })));
    const retagged = fleetOf(tenants, (t) => ({ tags: [t, "plan-pro"] }));
    const c = await checked(retagged, first.news);
    expect(c.changes).toMatch(/^50 to update: update tenant-0000 \(tags\), tenant-0001 \(tags\), /);
    emu.requests.clear();
    const { outs } = await fleet.update("ns", first.outs, c);
    const next = { news: c, outs: outs as Outputs };
    expect(emu.requests.count()).toBe(tenants.length + 1); // a tag call each, one page of the namespace's list

    expect(uploads()).toEqual([]);
    expect(calls().sort()).toEqual(tenants.map((t) => `PUT ${t}/tags`));
    expect(lists()).toHaveLength(1); // the new modification times, one page for 50 tenants
    for (const { call, body } of writes()) {
      const name = call.slice(4, -"/tags".length);
      expect(body).toEqual([name, "plan-pro", "pulumi-tenant-fleet", `pulumi-spec-${states(next.outs)[name].specHash}`]);
    }
    for (const t of tenants) {
      expect(states(next.outs)[t].specHash).not.toBe(states(first.outs)[t].specHash);
      expect(states(next.outs)[t].etag).toBe(states(first.outs)[t].etag); // the code is the same
    }
    await expectNoDriftAndNoChange(next, retagged);
  });

  it("keeps the per-tenant state as small as an upload's, and what check records for update to names", async () => {
    const tenants = names(50);
    const first = await created(fleetOf(tenants, (t) => ({ tags: [t] })));
    const retagged = fleetOf(tenants, (t) => ({ tags: [t, "plan-pro"] }));
    const c = await checked(retagged, first.news);
    // Per tenant: its name, where its starting fingerprint is in the first line, "t"; each distinct fingerprint once.
    const recorded = String(unwrapSecret(c.__edits));
    expect(c.__edits).not.toBe(recorded); // a secret: its fingerprints cover secret values
    expect(recorded.length / tenants.length).toBeLessThan(24);
    const next = await up(first, retagged);
    expect(String(next.outs.scripts).length).toBeLessThanOrEqual(String(first.outs.scripts).length + 8 * tenants.length);
    // The next check records nothing: no tenant changes.
    expect((await checked(retagged, next.news)).__edits).toBeUndefined();
  });
});

describe("rotating secrets", () => {
  it("sends only the rotated secret's PUT for one tenant, and never writes its value into state or the change line", async () => {
    const tenants = names(5);
    const withKey = (rotated: string) =>
      fleetOf(tenants, (t) => ({ secretBindings: { API_KEY: secret(t === "tenant-0003" ? rotated : `key-${t}`) } }));
    const first = await created(withKey("old-s3cr3t"));
    const c = await checked(withKey("new-s3cr3t"), first.news);
    expect(c.changes).toBe("1 to update, 4 unchanged: update tenant-0003 (secretBindings.API_KEY)");
    expect(JSON.stringify(c.__edits)).not.toMatch(/s3cr3t/);
    emu.requests.clear();
    const next = await up(first, withKey("new-s3cr3t"));

    expect(writes()).toEqual([{ call: "PUT tenant-0003/secrets", body: { name: "API_KEY", type: "secret_text" } }]);
    expect(holds("tenant-0003", "API_KEY", "new-s3cr3t")).toBe(true);
    expect(holds("tenant-0002", "API_KEY", "key-tenant-0002")).toBe(true);
    expect(JSON.stringify(next.outs)).not.toMatch(/s3cr3t/);
    expect(states(next.outs)["tenant-0003"].modifiedOn).not.toBe(states(first.outs)["tenant-0003"].modifiedOn);
    await expectNoDriftAndNoChange(next, withKey("new-s3cr3t"));
  });

  it("sends one secret PUT per tenant for a secret in the defaults every tenant shares", async () => {
    const tenants = names(10);
    const shared = (text: string) => fleetOf(tenants, () => ({}), { secretBindings: { SHARED: secret(text) } });
    const first = await created(shared("first-s3cr3t"));
    const next = await up(first, shared("second-s3cr3t"));
    expect(uploads()).toEqual([]);
    expect(calls().sort()).toEqual(tenants.map((t) => `PUT ${t}/secrets`));
    for (const { body } of writes()) expect(body).toEqual({ name: "SHARED", type: "secret_text" });
    for (const t of tenants) expect(holds(t, "SHARED", "second-s3cr3t")).toBe(true);
    await expectNoDriftAndNoChange(next, shared("second-s3cr3t"));
  });

  it("deletes a secret no longer declared, and adds a new one, with one call each", async () => {
    const first = await created(fleetOf(["t-1"], () => ({ secretBindings: { OLD_KEY: secret("a"), KEPT: secret("b") } })));
    const program = fleetOf(["t-1"], () => ({ secretBindings: { KEPT: secret("b"), NEW_KEY: secret("c") } }));
    const next = await up(first, program);
    expect(calls()).toEqual(["PUT t-1/secrets", "DELETE t-1/secrets/OLD_KEY"]);
    await expectNoDriftAndNoChange(next, program);
  });

  it("changes the tags too when a tenant's first secret takes its spec tag away (a tag anyone listing the namespace reads)", async () => {
    const first = await created(fleetOf(["t-1"], () => ({})));
    const program = fleetOf(["t-1"], () => ({ secretBindings: { API_KEY: secret("s3cr3t") } }));
    const next = await up(first, program);
    expect(writes()).toEqual([
      { call: "PUT t-1/tags", body: ["pulumi-tenant-fleet"] },
      { call: "PUT t-1/secrets", body: { name: "API_KEY", type: "secret_text" } },
    ]);
    expect(holds("t-1", "API_KEY", "s3cr3t")).toBe(true);
    await expectNoDriftAndNoChange(next, program);
  });
});

describe("what is still uploaded", () => {
  it("a tenant whose secret change Cloudflare refuses (10215: its newest version is not deployed), the others edited", async () => {
    const tenants = ["t-1", "t-2"];
    const keyed = (text: string) => fleetOf(tenants, () => ({ secretBindings: { API_KEY: secret(text) } }));
    const first = await created(keyed("one"));
    emu.faults.failNext(400, { method: "PUT", path: "/scripts/t-1/secrets$", code: 10215, message: "the latest version isn't deployed" });
    const next = await up(first, keyed("two"));
    expect(calls().sort()).toEqual(["PUT t-1", "PUT t-1/secrets", "PUT t-2/secrets"]);
    for (const t of tenants) expect(holds(t, "API_KEY", "two")).toBe(true);
    await expectNoDriftAndNoChange(next, keyed("two"));
  });

  it("a tenant whose code or other configuration changes with its tags", async () => {
    const first = await created(fleetOf(["t-1", "t-2"], () => ({ tags: ["a"] })));
    const program = fleetOf(["t-1", "t-2"], (t) =>
      t === "t-1" ? { tags: ["b"], compatibilityFlags: ["nodejs_compat"] } : { tags: ["b"] },
    );
    await up(first, program);
    expect(calls()).toEqual(expect.arrayContaining(["PUT t-1", "PUT t-2/tags"]));
    expect(calls()).toHaveLength(2);
  });

  it("a tenant state does not show at the spec the change starts from (an earlier up failed for it)", async () => {
    const first = await created(fleetOf(["t-1"], () => ({ tags: ["a"] })));
    // The last inputs say tags b; Cloudflare and state still have tags a.
    const failedUp = await checked(
      fleetOf(["t-1"], () => ({ tags: ["b"] })),
      first.news,
    );
    await up(
      { news: failedUp, outs: first.outs },
      fleetOf(["t-1"], () => ({ tags: ["c"] })),
    );
    expect(calls()).toEqual(["PUT t-1"]);
  });

  it("a tenant a refresh found changed outside Pulumi", async () => {
    const first = await created(fleetOf(["t-1"], () => ({ tags: ["a"] })));
    const drifted = { ...states(first.outs)["t-1"], drifted: true };
    const { storedTenantStates } = await import("../../provider/fleet/states");
    const outs = { ...first.outs, scripts: storedTenantStates({ "t-1": drifted }) };
    await up(
      { news: first.news, outs },
      fleetOf(["t-1"], () => ({ tags: ["b"] })),
    );
    expect(calls()).toEqual(["PUT t-1"]);
  });
});
