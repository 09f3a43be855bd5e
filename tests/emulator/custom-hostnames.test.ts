/**
 * Custom hostnames and the fallback origin of a zone (Cloudflare for SaaS, SOURCES.md §5.10) through the
 * official SDK's `client.customHostnames`: a new hostname is pending with the records its customer must
 * publish, the control endpoint walks it through its verification until it is active, metadata is edited,
 * and a hostname is listed, filtered and deleted.
 */
import Cloudflare from "cloudflare";
import { defaultZoneId, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, UUID, control, rejectionOf, useEmulator } from "./helpers";

let emu: Emulator;
let cf: Cloudflare;
let zone_id: string;

useEmulator((f) => {
  ({ emu, cf } = f);
  zone_id = defaultZoneId(f.account_id, "example.com");
});

async function refusal(call: () => Promise<unknown>): Promise<{ status: number; code: number }> {
  const err = await rejectionOf(call);
  expect(err).toBeInstanceOf(Cloudflare.APIError);
  return { status: err.status, code: err.errors[0].code };
}

const advance = async (hostname: string, untilActive = false) =>
  (await control(emu, "POST", "/custom-hostnames/advance", { hostname, untilActive })).json;

describe("creating a custom hostname", () => {
  it("answers it pending, with the ownership and certificate records its customer must publish", async () => {
    const created = await cf.customHostnames.create({
      zone_id,
      hostname: "shop.customer.com",
      ssl: { method: "txt", type: "dv" },
      custom_metadata: { tenant: "acme" },
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(UUID),
      hostname: "shop.customer.com",
      created_at: expect.stringMatching(CF_TIMESTAMP),
      status: "pending",
      verification_errors: ["custom hostname does not CNAME to this zone."],
      custom_metadata: { tenant: "acme" },
      ownership_verification: { type: "txt", name: "_cf-custom-hostname.shop.customer.com", value: expect.stringMatching(UUID) },
      ownership_verification_http: {
        http_url: `http://shop.customer.com/.well-known/cf-custom-hostname-challenge/${created.id}`,
        http_body: expect.stringMatching(UUID),
      },
      ssl: {
        method: "txt",
        type: "dv",
        status: "pending_validation",
        validation_records: [{ status: "pending", txt_name: "_acme-challenge.shop.customer.com", txt_value: expect.any(String) }],
      },
    });
    expect(await cf.customHostnames.get(created.id, { zone_id })).toEqual(created);
  });

  it("validates its certificate over HTTP unless told otherwise", async () => {
    const created = await cf.customHostnames.create({ zone_id, hostname: "www.customer.org" });
    expect(created.ssl).toMatchObject({
      method: "http",
      status: "pending_validation",
      validation_records: [
        { http_url: expect.stringMatching(/^http:\/\/www\.customer\.org\/\.well-known\/acme-challenge\//), http_body: expect.any(String) },
      ],
    });
  });

  it("refuses a hostname taken in the zone, a malformed one, and an unknown zone", async () => {
    await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com" });
    expect(await refusal(() => cf.customHostnames.create({ zone_id, hostname: "shop.customer.com" }))).toEqual({ status: 409, code: 1406 });
    expect(await refusal(() => cf.customHostnames.create({ zone_id, hostname: "https://shop.customer.com/" }))).toEqual({
      status: 400,
      code: 1411,
    });
    expect(await refusal(() => cf.customHostnames.create({ zone_id, hostname: "example.com" }))).toEqual({ status: 400, code: 1411 });
    expect(await refusal(() => cf.customHostnames.create({ zone_id: "0".repeat(32), hostname: "a.customer.com" }))).toEqual({
      status: 404,
      code: 1003,
    });
  });
});

describe("verifying a custom hostname", () => {
  it("walks the certificate through its statuses and makes the hostname active once the zone has a fallback origin", async () => {
    await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: "fallback.example.com" });
    const { id } = await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com" });
    const seen: Array<[string | undefined, string | undefined]> = [];
    for (let i = 0; i < 4; i++) {
      await advance("shop.customer.com");
      const h = await cf.customHostnames.get(id, { zone_id });
      seen.push([h.status, h.ssl?.status]);
    }
    expect(seen).toEqual([
      ["active", "pending_issuance"],
      ["active", "pending_deployment"],
      ["active", "active"],
      ["active", "active"],
    ]);
    const active = await cf.customHostnames.get(id, { zone_id });
    expect(active.verification_errors).toBeUndefined();
    expect(active.ownership_verification).toBeUndefined();
    expect(active.ssl?.validation_records).toEqual([]);
  });

  it("keeps the hostname pending, saying why, while the zone has no fallback origin", async () => {
    await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com" });
    const stuck = await advance("shop.customer.com", true);
    expect(stuck.result).toMatchObject({
      status: "pending",
      verification_errors: ["Zone does not have a fallback origin set."],
      ssl: { status: "active" },
    });
  });

  it("activates a hostname with its own origin server without a fallback origin", async () => {
    await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com", custom_origin_server: "origin.example.com" });
    expect((await advance("shop.customer.com", true)).result).toMatchObject({
      status: "active",
      custom_origin_server: "origin.example.com",
    });
  });

  it("needs the control token, and names an unknown hostname", async () => {
    expect((await control(emu, "POST", "/custom-hostnames/advance", { hostname: "x.customer.com" }, {})).status).toBe(400);
    expect((await control(emu, "POST", "/custom-hostnames/advance", { hostname: "x.customer.com" })).json.errors[0].code).toBe(1436);
  });
});

describe("editing, listing and deleting", () => {
  it("replaces the custom metadata, and clears it with an empty object", async () => {
    const { id } = await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com", custom_metadata: { tenant: "acme" } });
    expect((await cf.customHostnames.edit(id, { zone_id, custom_metadata: { tenant: "globex", plan: "pro" } })).custom_metadata).toEqual({
      tenant: "globex",
      plan: "pro",
    });
    expect((await cf.customHostnames.get(id, { zone_id })).custom_metadata).toEqual({ tenant: "globex", plan: "pro" });
    expect((await cf.customHostnames.edit(id, { zone_id, custom_metadata: {} })).custom_metadata).toBeUndefined();
  });

  it("lists page by page and filters by hostname and status", async () => {
    for (const name of ["a", "b", "c", "d", "e", "f"]) await cf.customHostnames.create({ zone_id, hostname: `${name}.customer.com` });
    await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: "fallback.example.com" });
    await advance("c.customer.com");
    const all: string[] = [];
    for await (const h of cf.customHostnames.list({ zone_id, per_page: 5 })) all.push(h.hostname);
    expect(all.sort()).toEqual(["a", "b", "c", "d", "e", "f"].map((n) => `${n}.customer.com`));
    const exact = (await cf.customHostnames.list({ zone_id, hostname: { exact: "b.customer.com" } })).result.map((h) => h.hostname);
    expect(exact).toEqual(["b.customer.com"]);
    const active = (await cf.customHostnames.list({ zone_id, hostname_status: "active" })).result.map((h) => h.hostname);
    expect(active).toEqual(["c.customer.com"]);
  });

  it("deletes a hostname, answering its id; a second delete is 404", async () => {
    const { id } = await cf.customHostnames.create({ zone_id, hostname: "shop.customer.com" });
    expect(await cf.customHostnames.delete(id, { zone_id })).toEqual({ id });
    expect(emu.state.account(emu.accountId)!.zones[0].customHostnames).toEqual([]);
    expect(await refusal(() => cf.customHostnames.delete(id, { zone_id }))).toEqual({ status: 404, code: 1436 });
  });
});

describe("the fallback origin", () => {
  it("is set, read and removed; a zone without one answers 404", async () => {
    expect(await refusal(() => cf.customHostnames.fallbackOrigin.get({ zone_id }))).toMatchObject({ status: 404 });
    expect(await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: "fallback.example.com" })).toMatchObject({
      origin: "fallback.example.com",
      status: "active",
      errors: [],
    });
    expect(await cf.customHostnames.fallbackOrigin.get({ zone_id })).toMatchObject({ origin: "fallback.example.com", status: "active" });
    expect(await cf.customHostnames.fallbackOrigin.delete({ zone_id })).toMatchObject({
      origin: "fallback.example.com",
      status: "pending_deletion",
    });
    expect(await refusal(() => cf.customHostnames.fallbackOrigin.get({ zone_id }))).toMatchObject({ status: 404 });
  });

  it("must be a hostname of the zone", async () => {
    expect(await refusal(() => cf.customHostnames.fallbackOrigin.update({ zone_id, origin: "origin.elsewhere.net" }))).toEqual({
      status: 400,
      code: 1409,
    });
  });
});
