/** Zones (configured; `GET /zones`, `GET /zones/:id`) and Worker routes of a zone, through `client.zones` / `client.workers.routes`. */
import Cloudflare from "cloudflare";
import { DEFAULT_ZONE_NAME, defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, HEX32, raw, rejectionOf, sdk, useEmulator } from "./helpers";

let emu: Emulator;
let cf: Cloudflare;
let zone_id: string;
const OTHER_ACCOUNT = "b".repeat(32);
const OTHER_ZONE = "c".repeat(32);

useEmulator(
  (f) => {
    ({ emu, cf } = f);
    zone_id = defaultZoneId(f.account_id, "example.com");
  },
  {
    accounts: [{ id: OTHER_ACCOUNT, name: "Other" }],
    zones: [{ name: "example.com" }, { name: "example.net" }, { id: OTHER_ZONE, name: "other.dev", accountId: OTHER_ACCOUNT }],
  },
);

describe("zones", () => {
  it("has one example.com zone by default, its id derived from the account id", async () => {
    const accountId = "a".repeat(32);
    const plain = await startEmulator({ accountId });
    try {
      expect(DEFAULT_ZONE_NAME).toBe("example.com");
      const zones = plain.state.zones();
      expect(zones).toEqual([
        {
          id: defaultZoneId(accountId, "example.com"),
          name: "example.com",
          account_id: accountId,
          created_on: expect.stringMatching(CF_TIMESTAMP),
          modified_on: expect.any(String),
          activated_on: expect.any(String),
        },
      ]);
      expect(zones[0].id).toMatch(HEX32);
      expect(defaultZoneId(accountId, "example.com")).toBe(defaultZoneId(accountId, "example.com"));
      expect(defaultZoneId("d".repeat(32), "example.com")).not.toBe(zones[0].id);
    } finally {
      await plain.close();
    }
  });

  it("client.zones.list({ name }) finds a zone; the list is paged like Cloudflare's", async () => {
    const byName = await cf.zones.list({ name: "example.net" });
    expect(byName.result.map((z) => z.name)).toEqual(["example.net"]);
    expect(byName.result_info).toMatchObject({ page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 });
    const z = byName.result[0];
    expect(z).toMatchObject({
      id: defaultZoneId(emu.accountId, "example.net"),
      status: "active",
      type: "full",
      paused: false,
      account: { id: emu.accountId, name: "Emulated Account" },
      plan: { name: "Free Website" },
    });
    const all: string[] = [];
    for await (const zone of cf.zones.list({ per_page: 5 })) all.push(zone.name);
    expect(all).toEqual(["example.com", "example.net", "other.dev"]);
    const contains = await cf.zones.list({ name: "contains:example" });
    expect(contains.result.map((x) => x.name)).toEqual(["example.com", "example.net"]);
    const ofAccount = await cf.zones.list({ account: { id: OTHER_ACCOUNT } });
    expect(ofAccount.result.map((x) => x.name)).toEqual(["other.dev"]);
    const desc = await cf.zones.list({ order: "name", direction: "desc" });
    expect(desc.result.map((x) => x.name)).toEqual(["other.dev", "example.net", "example.com"]);
    expect((await cf.zones.list({ page: 2 })).result).toEqual([]);
  });

  it("client.zones.get answers the zone; an unknown id is 404, a malformed one 400 / 7003", async () => {
    await expect(cf.zones.get({ zone_id })).resolves.toMatchObject({ id: zone_id, name: "example.com" });
    const missing = await rejectionOf(() => cf.zones.get({ zone_id: "f".repeat(32) }));
    expect(missing).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(missing.errors[0]).toEqual({ code: 1003, message: "Invalid zone identifier" });
    const malformed = await rejectionOf(() => cf.zones.get({ zone_id: "not-a-zone" }));
    expect(malformed.status).toBe(400);
    expect(malformed.errors[0].code).toBe(7003);
  });

  it("hides zones of accounts the token cannot see", async () => {
    const limited = await startEmulator({
      accounts: [{ id: OTHER_ACCOUNT }],
      zones: [{ name: "example.com" }, { id: OTHER_ZONE, name: "other.dev", accountId: OTHER_ACCOUNT }],
      tokens: [{ token: "mine-only", accounts: [] }],
    });
    try {
      const scoped = sdk(limited, { apiToken: "mine-only" });
      expect((await scoped.zones.list({})).result).toEqual([]);
      const err = await rejectionOf(() => scoped.zones.get({ zone_id: OTHER_ZONE }));
      expect(err.status).toBe(403);
      expect(err.errors[0].code).toBe(10000);
    } finally {
      await limited.close();
    }
  });

  it("rejects bad zone options at start", async () => {
    await expect(startEmulator({ zones: [{ name: "Not A Domain" }] })).rejects.toThrow(/zone name/);
    await expect(startEmulator({ zones: [{ name: "a.com", id: "xyz" }] })).rejects.toThrow(/zone id/);
    await expect(startEmulator({ zones: [{ name: "a.com" }, { name: "a.com" }] })).rejects.toThrow(/configured twice/);
    await expect(startEmulator({ zones: [{ name: "a.com", accountId: "e".repeat(32) }] })).rejects.toThrow(/not configured/);
  });
});

describe("Worker routes (/zones/:zone_id/workers/routes)", () => {
  const routes = () => cf.workers.routes;

  it("create, list, get, update, delete — { id, pattern, script }", async () => {
    const created = await routes().create({ zone_id, pattern: "*.example.com/*", script: "dispatcher" });
    expect(created).toEqual({ id: expect.stringMatching(HEX32), pattern: "*.example.com/*", script: "dispatcher" });
    const placeholder = await routes().create({ zone_id, pattern: "example.com/static/*" });
    expect(placeholder).toEqual({ id: expect.any(String), pattern: "example.com/static/*" });

    expect((await routes().list({ zone_id })).result).toEqual([created, placeholder]);
    await expect(routes().get(created.id, { zone_id })).resolves.toEqual(created);

    const updated = await routes().update(created.id, { zone_id, pattern: "api.example.com/*", script: "dispatcher-2" });
    expect(updated).toEqual({ id: created.id, pattern: "api.example.com/*", script: "dispatcher-2" });
    expect(emu.state.routes(zone_id)).toEqual([
      { ...updated, zone_id, zone_name: "example.com" },
      { ...placeholder, zone_id, zone_name: "example.com" },
    ]);

    await expect(routes().delete(created.id, { zone_id })).resolves.toEqual({ id: created.id });
    expect(emu.state.routes().map((r) => r.id)).toEqual([placeholder.id]);
    const gone = await rejectionOf(() => routes().get(created.id, { zone_id }));
    expect(gone.status).toBe(404);
    expect(gone.errors[0]).toEqual({ code: 10005, message: "workers.api.error.not_found" });
  });

  it("allows a route to a Worker that does not exist (yet)", async () => {
    await routes().create({ zone_id, pattern: "example.com/*", script: "not-deployed" });
    expect(emu.state.accountScript("not-deployed")).toBeUndefined();
    expect(emu.state.routes(zone_id)).toHaveLength(1);
  });

  it.each([
    ["example.org/*", "Route pattern must include zone name: example.com"],
    ["*ample.com/*", "Route pattern must include zone name: example.com"],
    ["example.com.evil.net/*", "Route pattern must include zone name: example.com"],
    ["*/a*/b", "Route pattern may only contain wildcards at the beginning of the hostname and the end of the path: */a*/b"],
    [
      "api.*.example.com/*",
      "Route pattern may only contain wildcards at the beginning of the hostname and the end of the path: api.*.example.com/*",
    ],
    [
      "example.com/*/x",
      "Route pattern may only contain wildcards at the beginning of the hostname and the end of the path: example.com/*/x",
    ],
    ["example.com/*?a=1", "Route pattern should not have query parameters example.com/*?a=1"],
    ["exa mple.com/*", "Could not understand route pattern exa mple.com/*, please try a different pattern"],
  ])("refuses %s with 400 / 10022", async (pattern, message) => {
    const err = await rejectionOf(() => routes().create({ zone_id, pattern, script: "w" }));
    expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(err.errors[0]).toEqual({ code: 10022, message });
  });

  it.each(["example.com/*", "*example.com/*", "*.example.com/*", "https://shop.example.com/cart*", "example.com", "*/*"])(
    "accepts %s",
    async (pattern) => {
      await expect(routes().create({ zone_id, pattern, script: "w" })).resolves.toMatchObject({ pattern });
    },
  );

  it("refuses a duplicate pattern in the zone with 409 / 10020 (create and update)", async () => {
    await routes().create({ zone_id, pattern: "example.com/*", script: "a" });
    const second = await routes().create({ zone_id, pattern: "api.example.com/*", script: "b" });
    const dup = await rejectionOf(() => routes().create({ zone_id, pattern: "example.com/*", script: "c" }));
    expect(dup).toBeInstanceOf(Cloudflare.ConflictError);
    expect(dup.errors[0]).toEqual({ code: 10020, message: "workers.api.error.duplicate_route" });
    const dupUpdate = await rejectionOf(() => routes().update(second.id, { zone_id, pattern: "example.com/*", script: "b" }));
    expect(dupUpdate.errors[0].code).toBe(10020);
    // Re-sending a route's own pattern is no duplicate.
    await expect(routes().update(second.id, { zone_id, pattern: "api.example.com/*", script: "b2" })).resolves.toMatchObject({
      script: "b2",
    });
  });

  it("answers 404 / 10005 for an unknown zone and 400 for a body without a pattern", async () => {
    const unknown = await rejectionOf(() => routes().list({ zone_id: "f".repeat(32) }));
    expect(unknown).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(unknown.errors[0].code).toBe(10005);
    const noPattern = await raw(emu, "POST", `/zones/${zone_id}/workers/routes`, { body: JSON.stringify({ script: "w" }) });
    expect(noPattern.status).toBe(400);
    expect(noPattern.json.errors[0].code).toBe(10026);
  });

  it("reset() keeps the configured zones and drops their routes", async () => {
    await routes().create({ zone_id, pattern: "example.com/*", script: "w" });
    emu.reset();
    expect(emu.state.zones().map((z) => z.name)).toEqual(["example.com", "example.net"]);
    expect(emu.state.routes()).toEqual([]);
  });
});
