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
