/**
 * A tenant's customer domains (`hostnames`) on a NamespacedWorkerScript and on TenantFleet tenants,
 * called directly against the emulator: the CustomHostname rules at preview naming the property,
 * hostnames made after the upload, a hostname moved between tenants edited in place (never refused
 * as a duplicate), refresh reading the verification status, and a deleted tenant taking its
 * hostnames with it; for a fleet, what state keeps per tenant and what preview says.
 */
import { type Emulator, defaultZoneId } from "../../emulator";
import { tenantStatesOf } from "../../provider/fleet/states";
import type { TenantSpec } from "../../provider/fleet/spec";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type { NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs } from "../../provider/resources/namespaced-worker-script";
import { tenantFleetResource } from "../../provider/resources/tenant-fleet";
import type { TenantFleetInputs, TenantFleetOutputs } from "../../provider/resources/tenant-fleet";
import { control, sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const NS = "saas-tenants";
const CODE = 'export default { fetch() { return new Response("hi") } }';
const env = useProviderEmulator((e) => (emu = e));
let scripts: ReturnType<typeof namespacedWorkerScriptResource>;
let fleet: ReturnType<typeof tenantFleetResource>;
beforeEach(async () => {
  const context = providerContext(env);
  scripts = namespacedWorkerScriptResource(context);
  fleet = tenantFleetResource(context);
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  // Hostnames become active only once the zone has a fallback origin.
  await sdk(emu).customHostnames.fallbackOrigin.update({ zone_id: zoneId(), origin: "fallback.example.com" });
  emu.requests.clear();
});

const zoneId = () => defaultZoneId(emu.accountId, "example.com");
const hostnameWrites = () =>
  emu.requests
    .writes()
    .filter((w) => w.path.includes("/custom_hostnames"))
    .map((w) => `${w.method} ${w.path.includes("/custom_hostnames/") ? "one" : "zone"}`);
/** The zone's custom hostnames: name → metadata's tenant. */
const inZone = () =>
  Object.fromEntries(
    (emu.state.account(emu.accountId)!.zones[0].customHostnames ?? []).map((h) => [h.hostname, h.custom_metadata?.tenant]),
  );
const idOf = (hostname: string) => emu.state.account(emu.accountId)!.zones[0].customHostnames!.find((h) => h.hostname === hostname)!.id;
const domain = (hostname: string, tenant: string) => ({ hostname, customMetadata: { tenant } });

describe("NamespacedWorkerScript hostnames", () => {
  const inputs = (scriptName: string, extra: Partial<NamespacedWorkerScriptInputs> = {}): NamespacedWorkerScriptInputs => ({
    namespace: NS,
    scriptName,
    content: CODE,
    compatibilityDate: "2025-01-01",
    zoneId: zoneId(),
    ...extra,
  });
  const checked = async (given: NamespacedWorkerScriptInputs) => {
    const result = await scripts.check({}, given);
    expect(result.failures).toBeUndefined();
    return result.inputs as NamespacedWorkerScriptInputs;
  };

  it.each([
    [{ hostnames: [{ hostname: "https://shop.acme.com" }] }, "hostnames[0].hostname", "hostname must be a lowercase hostname"],
    [{ hostnames: [{ hostname: "shop.acme.com", customMetadata: { tenant: 7 } }] }, "hostnames[0].customMetadata", "must be a string"],
    [{ hostnames: [{ hostname: "shop.acme.com", ssl: { method: "dns" } }] }, "hostnames[0].ssl", "ssl.method must be one of"],
    [{ hostnames: [{ hostname: "a.acme.com" }, { hostname: "a.acme.com" }] }, "hostnames[1].hostname", "listed twice"],
    [{ hostnames: "shop.acme.com" }, "hostnames", "must be a list"],
    [{ zoneId: undefined, hostnames: [{ hostname: "shop.acme.com" }] }, "zoneId", "zoneId is required with hostnames"],
  ])("refuses %j at preview, naming %s and the rule", async (bad, property, rule) => {
    const result = await scripts.check({}, { ...inputs("acme"), ...(bad as Partial<NamespacedWorkerScriptInputs>) });
    expect(result.failures).toEqual([{ property, reason: expect.stringContaining(rule) }]);
    expect(emu.requests.writes()).toEqual([]);
  });

  it("creates its hostnames after the upload, reads their status at refresh, and deletes them before the script", async () => {
    const news = await checked(inputs("acme", { hostnames: [domain("shop.acme.com", "acme")] }));
    const { id, outs } = await scripts.create(news);
    expect(inZone()).toEqual({ "shop.acme.com": "acme" });
    expect(outs).toMatchObject({
      customHostnameIds: { "shop.acme.com": idOf("shop.acme.com") },
      hostnameStatuses: { "shop.acme.com": "pending" },
    });

    await control(emu, "POST", "/custom-hostnames/advance", { hostname: "shop.acme.com", untilActive: true });
    const refreshed = await scripts.read(id, outs as NamespacedWorkerScriptOutputs);
    expect(refreshed.props).toMatchObject({ hostnameStatuses: { "shop.acme.com": "active" } });

    emu.requests.clear();
    await scripts.remove(id, refreshed.props as NamespacedWorkerScriptOutputs);
    expect(inZone()).toEqual({});
    const order = emu.requests.writes().map((w) => w.method + (w.path.includes("custom_hostnames") ? " hostname" : " script"));
    expect(order).toEqual(["DELETE hostname", "DELETE script"]);
  });

  it("moves a hostname between two scripts in either order of their updates: edited in place, keeping its id and verification", async () => {
    const a = await scripts.create(await checked(inputs("acme", { hostnames: [domain("shop.acme.com", "acme")] })));
    const b = await scripts.create(await checked(inputs("globex")));
    await control(emu, "POST", "/custom-hostnames/advance", { hostname: "shop.acme.com", untilActive: true });
    const id = idOf("shop.acme.com");

    // The receiving script first: the hostname still exists, so it is taken over rather than refused.
    const bNews = await checked(inputs("globex", { hostnames: [domain("shop.acme.com", "globex")] }));
    const bOuts = (await scripts.update(b.id, b.outs as NamespacedWorkerScriptOutputs, bNews)).outs;
    expect(bOuts).toMatchObject({ customHostnameIds: { "shop.acme.com": id }, hostnameStatuses: { "shop.acme.com": "active" } });
    // Then the giving one: the hostname is no longer as it declared it, so it is not deleted.
    await scripts.update(a.id, a.outs as NamespacedWorkerScriptOutputs, await checked(inputs("acme")));
    expect(inZone()).toEqual({ "shop.acme.com": "globex" });
    expect(idOf("shop.acme.com")).toBe(id);
  });
});

describe("TenantFleet hostnames", () => {
  type Inputs = Omit<TenantFleetInputs, "__tenants"> & { __tenants: Record<string, TenantSpec> };
  const tenant = (name: string, ...hostnames: string[]): TenantSpec => ({
    bindings: { TENANT: { type: "plain_text", text: name } },
    ...(hostnames.length > 0 ? { hostnames: hostnames.map((h) => domain(h, name)) } : {}),
  });
  const fleetInputs = (tenants: Record<string, TenantSpec>): Inputs => ({
    namespace: NS,
    zoneId: zoneId(),
    __defaults: { content: CODE, compatibilityDate: "2025-01-01" },
    __tenants: tenants,
  });
  const checkedFleet = async (olds: Partial<TenantFleetInputs>, news: Inputs) => {
    const result = await fleet.check(olds, news);
    expect(result.failures).toBeUndefined();
    return result.inputs as TenantFleetInputs;
  };

  it.each([
    [{ t1: { ...tenant("t1"), hostnames: [{ hostname: "Shop.T1.com" }] } }, "tenants.t1.hostnames[0].hostname", "lowercase hostname"],
    [
      { t1: tenant("t1", "shop.example.org"), t2: tenant("t2", "shop.example.org") },
      "tenants.t2.hostnames[0].hostname",
      "also tenant 't1'",
    ],
  ])("refuses bad hostnames at preview, naming the tenant's property (%#)", async (tenants, property, rule) => {
    const result = await fleet.check({}, fleetInputs(tenants));
    expect(result.failures).toEqual([{ property, reason: expect.stringContaining(rule) }]);
  });

  it("refuses hostnames without a zone, and hostnames in the defaults", async () => {
    const noZone = await fleet.check({}, { ...fleetInputs({ t1: tenant("t1", "a.t1.com") }), zoneId: undefined });
    expect(noZone.failures).toEqual([{ property: "zoneId", reason: expect.stringContaining("zoneId is required with hostnames") }]);
    const inDefaults = await fleet.check({}, { ...fleetInputs({}), __defaults: { content: CODE, hostnames: [domain("a.b.com", "x")] } });
    expect(inDefaults.failures).toEqual([{ property: "defaults.hostnames", reason: expect.stringContaining("one tenant each") }]);
  });

  it("creates, moves in place, refreshes and deletes tenants' hostnames; state keeps ids, not hostnames", async () => {
    const first = await checkedFleet(
      {},
      fleetInputs({ t1: tenant("t1", "shop.t1.com"), t2: tenant("t2", "www.t2.com"), t3: tenant("t3") }),
    );
    expect(first.changes).toBe("3 to create (hostnames: 2 to create): create t1, t2, t3");
    const created = await fleet.create(first);
    let outs = created.outs as TenantFleetOutputs;
    expect(inZone()).toEqual({ "shop.t1.com": "t1", "www.t2.com": "t2" });
    expect(outs).toMatchObject({ zoneId: zoneId(), hostnameStatuses: "2 pending" });
    const stored = outs.scripts as string;
    expect(stored).not.toContain("shop.t1.com");
    expect(stored.length).toBeLessThan(3 * 120);

    // Refresh: the status change shows, no input changes.
    await control(emu, "POST", "/custom-hostnames/advance", { hostname: "shop.t1.com", untilActive: true });
    const refreshed = await fleet.read(created.id, outs);
    expect(refreshed.props).toMatchObject({ hostnameStatuses: "1 active, 1 pending" });
    expect(refreshed.inputs).toBeUndefined();
    outs = refreshed.props as TenantFleetOutputs;

    // shop.t1.com moves to t2 in the same up: one PATCH, its id and verification kept.
    const id = idOf("shop.t1.com");
    const moved = fleetInputs({ t1: tenant("t1"), t2: tenant("t2", "www.t2.com", "shop.t1.com"), t3: tenant("t3") });
    const movedInputs = await checkedFleet(first, moved);
    expect(movedInputs.changes).toBe(
      "2 to update, 1 unchanged (hostnames: 1 to move): update t1 (hostnames), t2 (hostnames); move shop.t1.com → t2",
    );
    expect((await fleet.diff(created.id, outs, movedInputs)).changes).toBe(true);
    emu.requests.clear();
    outs = (await fleet.update(created.id, outs, movedInputs)).outs as TenantFleetOutputs;
    expect(hostnameWrites()).toEqual(["PATCH one"]);
    expect(emu.requests.writes().filter((w) => w.method === "PUT")).toEqual([]); // no script uploaded
    expect(inZone()).toEqual({ "shop.t1.com": "t2", "www.t2.com": "t2" });
    expect(idOf("shop.t1.com")).toBe(id);
    expect(outs.hostnameStatuses).toBe("1 active, 1 pending");
    expect((await fleet.diff(created.id, outs, await checkedFleet(movedInputs, moved))).changes).toBe(false);

    // t2 removed: its hostnames go first, then its script.
    emu.requests.clear();
    const without = await checkedFleet(movedInputs, fleetInputs({ t1: tenant("t1"), t3: tenant("t3") }));
    expect(without.changes).toBe("1 to delete, 2 unchanged (hostnames: 2 to delete): delete t2");
    outs = (await fleet.update(created.id, outs, without)).outs as TenantFleetOutputs;
    expect(inZone()).toEqual({});
    const order = emu.requests.writes().map((w) => w.method + (w.path.includes("custom_hostnames") ? " hostname" : " script"));
    expect(order).toEqual(["DELETE hostname", "DELETE hostname", "DELETE script"]);
    expect(outs.hostnameStatuses).toBeUndefined();
    expect(Object.keys(tenantStatesOf(outs.scripts))).toEqual(["t1", "t3"]);
  });

  it("swaps two hostnames between tenants in one up without a duplicate-hostname error", async () => {
    const first = await checkedFleet({}, fleetInputs({ a: tenant("a", "one.example.org"), b: tenant("b", "two.example.org") }));
    const created = await fleet.create(first);
    const swapped = await checkedFleet(first, {
      ...fleetInputs({}),
      __tenants: {
        a: { ...tenant("a"), hostnames: [domain("two.example.org", "a")] },
        b: { ...tenant("b"), hostnames: [domain("one.example.org", "b")] },
      },
    });
    emu.requests.clear();
    await fleet.update(created.id, created.outs as TenantFleetOutputs, swapped);
    expect(inZone()).toEqual({ "one.example.org": "b", "two.example.org": "a" });
    expect(hostnameWrites()).toEqual(["PATCH one", "PATCH one"]);
  });

  it("creates again a hostname deleted outside Pulumi, after refresh found it gone", async () => {
    const first = await checkedFleet({}, fleetInputs({ t1: tenant("t1", "shop.t1.com") }));
    const created = await fleet.create(first);
    await sdk(emu).customHostnames.delete(idOf("shop.t1.com"), { zone_id: zoneId() });
    const refreshed = await fleet.read(created.id, created.outs as TenantFleetOutputs);
    expect(refreshed.props).not.toHaveProperty("hostnameStatuses");
    const next = await checkedFleet(refreshed.inputs as TenantFleetInputs, fleetInputs({ t1: tenant("t1", "shop.t1.com") }));
    expect(next.changes).toContain("update t1 (hostnames)");
    await fleet.update(created.id, refreshed.props as TenantFleetOutputs, next);
    expect(inZone()).toEqual({ "shop.t1.com": "t1" });
  });

  it("takes a hostname an interrupted up made as declared, and refuses one declared differently", async () => {
    const ssl = { method: "http" as const, type: "dv" as const };
    await sdk(emu).customHostnames.create({ zone_id: zoneId(), hostname: "shop.t1.com", ssl, custom_metadata: { tenant: "t1" } });
    await sdk(emu).customHostnames.create({ zone_id: zoneId(), hostname: "www.t2.com", ssl, custom_metadata: { tenant: "someone-else" } });
    const inputs = await checkedFleet({}, fleetInputs({ t1: tenant("t1", "shop.t1.com"), t2: tenant("t2", "www.t2.com") }));
    const failure = await fleet.create(inputs).then(
      () => undefined,
      (error: { properties?: TenantFleetOutputs; message: string }) => error,
    );
    expect(failure?.message).toMatch(/tenant 't2': hostnames: creating custom hostname 'www.t2.com'.*remove it there first/s);
    expect(inZone()).toEqual({ "shop.t1.com": "t1", "www.t2.com": "someone-else" });
    // t1 holds the hostname it found as declared; t2 holds none, and the next up tries again.
    const held = tenantStatesOf(failure!.properties!.scripts);
    expect(held.t1.hostnames).toBeDefined();
    expect(held.t2.hostnames).toBeUndefined();
    expect(held.t2.hostnamesHash).not.toBe(held.t1.hostnamesHash);
  });

  it("destroy deletes every tenant's hostnames before the scripts", async () => {
    const created = await fleet.create(await checkedFleet({}, fleetInputs({ t1: tenant("t1", "a.t1.com"), t2: tenant("t2", "b.t2.com") })));
    await fleet.remove(created.id, created.outs as TenantFleetOutputs);
    expect(inZone()).toEqual({});
  });
});
