/**
 * CustomHostname and FallbackOrigin (Cloudflare for SaaS), called directly against the emulator: the
 * rules `check` enforces at preview, what a new hostname tells the customer to publish, refresh following
 * the verification, metadata edited in place, and deletes that tolerate what is already gone.
 */
import { type Emulator, defaultZoneId } from "../../emulator";
import { customHostnameResource } from "../../provider/resources/custom-hostname";
import type { CustomHostnameInputs, CustomHostnameOutputs } from "../../provider/resources/custom-hostname";
import { fallbackOriginResource } from "../../provider/resources/fallback-origin";
import type { FallbackOriginInputs, FallbackOriginOutputs } from "../../provider/resources/fallback-origin";
import { control, sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const hostnames = customHostnameResource(context);
const fallback = fallbackOriginResource(context);

const zoneId = () => defaultZoneId(emu.accountId, "example.com");
const writes = () => emu.requests.writes().map((w) => `${w.method} ${w.path}`);
const stored = () => emu.state.account(emu.accountId)!.zones[0].customHostnames ?? [];

async function created(extra: Partial<CustomHostnameInputs> = {}): Promise<{ id: string; outs: CustomHostnameOutputs }> {
  const checked = await hostnames.check({}, { zoneId: zoneId(), hostname: "shop.acme.com", ...extra });
  expect(checked.failures).toBeUndefined();
  const { id, outs } = await hostnames.create(checked.inputs as CustomHostnameInputs);
  return { id, outs: outs as CustomHostnameOutputs };
}

describe("CustomHostname check", () => {
  it.each([
    [{ hostname: "https://shop.acme.com/" }, "hostname", "hostname must be a lowercase hostname without scheme, path or port"],
    [{ hostname: "Shop.Acme.com" }, "hostname", "hostname must be a lowercase hostname"],
    [{ zoneId: "example.com" }, "zoneId", "zoneId must be a zone id (32 lowercase hexadecimal characters)"],
    [{ ssl: { method: "dns" } }, "ssl", 'ssl.method must be one of "http", "txt", "email", got "dns"'],
    [{ ssl: { type: "ov" } }, "ssl", 'ssl.type must be "dv"'],
    [{ customMetadata: { tenant: 7 } }, "customMetadata", "customMetadata.tenant must be a string"],
    [{ customOriginServer: "http://origin" }, "customOriginServer", "customOriginServer must be a hostname"],
  ])("refuses %j at preview, naming %s and the rule", async (bad, property, rule) => {
    const checked = await hostnames.check({}, { zoneId: zoneId(), hostname: "shop.acme.com", ...bad });
    expect(checked.failures).toEqual([{ property, reason: expect.stringContaining(rule) }]);
    expect(writes()).toEqual([]);
  });

  it("accepts a wildcard hostname", async () => {
    expect((await hostnames.check({}, { zoneId: zoneId(), hostname: "*.acme.com" })).failures).toBeUndefined();
  });
});

describe("CustomHostname lifecycle", () => {
  it("creates the hostname with one POST and outputs what the customer must publish", async () => {
    const { id, outs } = await created({ ssl: { method: "txt" }, customMetadata: { tenant: "acme" } });
    expect(writes()).toEqual([`POST /zones/${zoneId()}/custom_hostnames`]);
    const [record] = stored();
    expect(id).toBe(record.id);
    expect(outs).toMatchObject({
      customHostnameId: record.id,
      status: "pending",
      sslStatus: "pending_validation",
      verificationErrors: ["custom hostname does not CNAME to this zone."],
      ownershipVerification: { type: "txt", name: "_cf-custom-hostname.shop.acme.com", value: record.ownership_verification.value },
      sslValidationRecords: [{ txtName: "_acme-challenge.shop.acme.com", txtValue: expect.any(String) }],
      customMetadata: { tenant: "acme" },
    });
  });

  it("reads the verification's progress on refresh, without turning it into an input change", async () => {
    const { id, outs } = await created({ customMetadata: { tenant: "acme" } });
    const fb = await fallback.check({}, { zoneId: zoneId(), origin: "fallback.example.com" });
    await fallback.create(fb.inputs as FallbackOriginInputs);
    await control(emu, "POST", "/custom-hostnames/advance", { hostname: "shop.acme.com", untilActive: true });
    const refreshed = await hostnames.read(id, outs);
    expect(refreshed.props).toMatchObject({ status: "active", sslStatus: "active", verificationErrors: [], sslValidationRecords: [] });
    expect(refreshed.props).not.toHaveProperty("ownershipVerification");
    const diff = await hostnames.diff(id, refreshed.props as CustomHostnameOutputs, refreshed.inputs as CustomHostnameInputs);
    expect(diff.changes).toBe(false);
  });

  it("moves a hostname to another tenant by editing its metadata in place (one PATCH), and clears it when dropped", async () => {
    const { id, outs } = await created({ customMetadata: { tenant: "acme" } });
    const moved = { ...outs, customMetadata: { tenant: "globex" } };
    const diff = await hostnames.diff(id, outs, moved);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    emu.requests.clear();
    const updated = await hostnames.update(id, outs, moved);
    expect(writes()).toEqual([`PATCH /zones/${zoneId()}/custom_hostnames/${id}`]);
    expect(updated.outs).toMatchObject({ customMetadata: { tenant: "globex" } });
    expect(stored()[0].custom_metadata).toEqual({ tenant: "globex" });
    const { customMetadata: _dropped, ...without } = moved;
    await hostnames.update(id, updated.outs as CustomHostnameOutputs, without);
    expect(stored()[0].custom_metadata).toBeUndefined();
  });

  it("replaces the resource for a new hostname or zone", async () => {
    const { id, outs } = await created();
    expect((await hostnames.diff(id, outs, { ...outs, hostname: "shop.acme.net" })).replaces).toEqual(["hostname"]);
  });

  it("shows metadata edited outside Pulumi as drift, and forgets a hostname deleted outside", async () => {
    const { id, outs } = await created({ customMetadata: { tenant: "acme" } });
    await sdk(emu).customHostnames.edit(id, { zone_id: zoneId(), custom_metadata: { tenant: "someone-else" } });
    expect((await hostnames.read(id, outs)).inputs).toMatchObject({ customMetadata: { tenant: "someone-else" } });
    await hostnames.remove(id, outs);
    expect(stored()).toEqual([]);
    expect(await hostnames.read(id, outs)).toEqual({});
    await expect(hostnames.remove(id, outs)).resolves.toBeUndefined();
  });
});

describe("FallbackOrigin", () => {
  it("sets, changes in place, reads and removes the zone's fallback origin", async () => {
    const checked = await fallback.check({}, { zoneId: zoneId(), origin: "fallback.example.com" });
    const { id, outs } = await fallback.create(checked.inputs as FallbackOriginInputs);
    expect(id).toBe(zoneId());
    expect(outs).toMatchObject({ origin: "fallback.example.com", status: "active", errors: [] });
    const moved = { ...(outs as FallbackOriginOutputs), origin: "edge.example.com" };
    expect(await fallback.diff(id, outs as FallbackOriginOutputs, moved)).toMatchObject({ changes: true, replaces: [] });
    await fallback.update(id, outs as FallbackOriginOutputs, moved);
    expect((await fallback.read(id, moved)).props).toMatchObject({ origin: "edge.example.com" });
    await fallback.remove(id, moved);
    expect(await fallback.read(id, moved)).toEqual({});
  });

  it("refuses an origin that is not a hostname at preview, naming the property", async () => {
    const checked = await fallback.check({}, { zoneId: zoneId(), origin: "https://fallback.example.com" });
    expect(checked.failures).toEqual([
      { property: "origin", reason: expect.stringContaining("origin must be a lowercase hostname of the zone") },
    ]);
  });
});

describe("the import option (importFrom)", () => {
  it("takes over a custom hostname declared as Cloudflare has it without a write, keeping its verification", async () => {
    await sdk(emu).customHostnames.fallbackOrigin.update({ zone_id: zoneId(), origin: "fallback.example.com" });
    const existing = await sdk(emu).customHostnames.create({
      zone_id: zoneId(),
      hostname: "shop.acme.com",
      ssl: { method: "txt", type: "dv" },
      custom_metadata: { tenant: "acme" },
    });
    await control(emu, "POST", "/custom-hostnames/advance", { hostname: "shop.acme.com", untilActive: true });
    emu.requests.clear();
    const { id, outs } = await created({ ssl: { method: "txt" }, customMetadata: { tenant: "acme" }, importFrom: existing.id });
    expect(writes()).toEqual([]);
    expect(id).toBe(existing.id);
    expect(outs).toMatchObject({
      customHostnameId: existing.id,
      status: "active",
      sslStatus: "active",
      customMetadata: { tenant: "acme" },
    });
    expect("importFrom" in outs).toBe(false);
    expect(
      await hostnames.diff(id, outs, {
        zoneId: zoneId(),
        hostname: "shop.acme.com",
        ssl: { method: "txt" },
        customMetadata: { tenant: "acme" },
      }),
    ).toMatchObject({
      changes: false,
    });
  });

  it("edits what the program declares otherwise with one PATCH", async () => {
    const existing = await sdk(emu).customHostnames.create({
      zone_id: zoneId(),
      hostname: "shop.acme.com",
      ssl: { method: "http", type: "dv" },
    });
    emu.requests.clear();
    const { outs } = await created({ customMetadata: { tenant: "globex" }, importFrom: existing.id });
    expect(writes()).toEqual([`PATCH /zones/${zoneId()}/custom_hostnames/${existing.id}`]);
    expect(outs.customMetadata).toEqual({ tenant: "globex" });
    expect(stored()[0].custom_metadata).toEqual({ tenant: "globex" });
  });

  it("refuses at preview an id the zone does not have, or one of another hostname, naming the property", async () => {
    const other = await sdk(emu).customHostnames.create({
      zone_id: zoneId(),
      hostname: "www.globex.com",
      ssl: { method: "http", type: "dv" },
    });
    const check = (importFrom: string) => hostnames.check({}, { zoneId: zoneId(), hostname: "shop.acme.com", importFrom });
    expect((await check("0d89c70d-ad9f-4843-b99f-6cc0252067e9")).failures).toEqual([
      {
        property: "import",
        reason: expect.stringContaining("custom hostname 0d89c70d-ad9f-4843-b99f-6cc0252067e9, which does not exist in zone"),
      },
    ]);
    expect((await check(other.id)).failures).toEqual([
      {
        property: "hostname",
        reason: `the import option names custom hostname ${other.id}, which is 'www.globex.com', not 'shop.acme.com'`,
      },
    ]);
    expect(writes()).toEqual([`POST /zones/${zoneId()}/custom_hostnames`]);
  });

  it("takes over a zone's fallback origin without a write when the program names the same one, and refuses a zone without one", async () => {
    const inputs = { zoneId: zoneId(), origin: "fallback.example.com", importFrom: zoneId() };
    expect((await fallback.check({}, inputs)).failures).toEqual([
      { property: "import", reason: expect.stringContaining(`the fallback origin of zone ${zoneId()}, which has none`) },
    ]);
    await sdk(emu).customHostnames.fallbackOrigin.update({ zone_id: zoneId(), origin: "fallback.example.com" });
    emu.requests.clear();
    const checked = await fallback.check({}, inputs);
    expect(checked.failures).toBeUndefined();
    const { id, outs } = await fallback.create(checked.inputs as FallbackOriginInputs);
    expect(writes()).toEqual([]);
    expect(id).toBe(zoneId());
    expect(outs).toMatchObject({ origin: "fallback.example.com", status: "active" });
    expect("importFrom" in outs).toBe(false);
    expect((await fallback.check({}, { ...inputs, importFrom: "0123456789abcdef0123456789abcdef" })).failures).toEqual([
      { property: "zoneId", reason: `the import id '0123456789abcdef0123456789abcdef' names a different zone than zoneId '${zoneId()}'` },
    ]);
  });
});
