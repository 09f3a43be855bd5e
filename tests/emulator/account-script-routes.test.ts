/**
 * `PUT|GET /accounts/:a/workers/scripts/:name/routes`: the routes of one Worker across the account's
 * zones, replaced as a whole, and the same routes the zone API lists.
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { accountScriptPath, uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
useEmulator((f) => ({ emu, cf, account_id } = f), {
  zones: [{ name: "example.com" }, { name: "shop.example.com" }, { name: "other.org" }],
});

const deploy = (name: string) =>
  uploadAccountScript(cf, account_id, name, workerForm({ main_module: "index.js", compatibility_date: "2025-01-01" }));
const putRoutes = (name: string, routes: unknown) =>
  cf
    .put<{ result: Array<Record<string, unknown>> }>(accountScriptPath(account_id, name, "/routes"), { body: routes })
    .then((r) => r.result);
const getRoutes = (name: string) =>
  cf.get<{ result: Array<Record<string, unknown>> }>(accountScriptPath(account_id, name, "/routes")).then((r) => r.result);
const zoneId = (name: string) => emu.state.zones().find((z) => z.name === name)!.id;
/** `pattern → script` of every route of the default account. */
const allRoutes = () => Object.fromEntries(emu.state.routes().map((r) => [r.pattern, `${r.zone_name}:${r.script}`]));

describe("PUT …/scripts/:name/routes", () => {
  it("creates the routes in their zones (named, by id, or the zone the host lies in) and answers them", async () => {
    await deploy("dispatcher");
    const created = await putRoutes("dispatcher", [
      { pattern: "a.example.com/*", zone_name: "example.com" },
      { pattern: "other.org/api/*", zone_id: zoneId("other.org") },
      { pattern: "*.shop.example.com/*" },
    ]);
    expect(created.map((r) => [r.pattern, r.zone_name, r.script])).toEqual([
      ["a.example.com/*", "example.com", "dispatcher"],
      ["other.org/api/*", "other.org", "dispatcher"],
      ["*.shop.example.com/*", "shop.example.com", "dispatcher"],
    ]);
    expect(allRoutes()).toEqual({
      "a.example.com/*": "example.com:dispatcher",
      "other.org/api/*": "other.org:dispatcher",
      "*.shop.example.com/*": "shop.example.com:dispatcher",
    });
    expect(await getRoutes("dispatcher")).toEqual(expect.arrayContaining(created));
  });

  it("replaces every earlier route of the Worker and leaves other Workers' routes alone", async () => {
    await deploy("dispatcher");
    await deploy("other");
    await putRoutes("other", [{ pattern: "other.org/*" }]);
    await putRoutes("dispatcher", [{ pattern: "a.example.com/*" }, { pattern: "b.example.com/*" }]);
    await putRoutes("dispatcher", [{ pattern: "b.example.com/*" }]);
    expect(allRoutes()).toEqual({ "other.org/*": "other.org:other", "b.example.com/*": "example.com:dispatcher" });
    await putRoutes("dispatcher", []);
    expect(await getRoutes("dispatcher")).toEqual([]);
  });

  it("refuses a pattern another Worker holds with 409 / 10020, changing nothing", async () => {
    await deploy("dispatcher");
    await deploy("other");
    await putRoutes("other", [{ pattern: "a.example.com/*" }]);
    await putRoutes("dispatcher", [{ pattern: "b.example.com/*" }]);
    const error = await rejectionOf(() => putRoutes("dispatcher", [{ pattern: "c.example.com/*" }, { pattern: "a.example.com/*" }]));
    expect([error.status, error.errors[0].code]).toEqual([409, 10020]);
    expect(allRoutes()).toEqual({ "a.example.com/*": "example.com:other", "b.example.com/*": "example.com:dispatcher" });
  });

  it.each([
    ["a host in no zone of the account", [{ pattern: "nowhere.net/*" }], 400, 10022],
    ["an unknown zone_name", [{ pattern: "a.example.com/*", zone_name: "unknown.com" }], 400, 10022],
    ["a pattern outside the named zone", [{ pattern: "other.org/*", zone_name: "example.com" }], 400, 10022],
    ["a body that is not an array", { pattern: "a.example.com/*" }, 400, 10026],
    ["an entry without a pattern", [{ zone_name: "example.com" }], 400, 10026],
  ])("refuses %s", async (_what, body, status, code) => {
    await deploy("dispatcher");
    const error = await rejectionOf(() => putRoutes("dispatcher", body));
    expect([error.status, error.errors[0].code]).toEqual([status, code]);
    expect(emu.state.routes()).toEqual([]);
  });

  it("answers 404 / 10007 for a Worker that does not exist", async () => {
    const error = await rejectionOf(() => putRoutes("missing", [{ pattern: "a.example.com/*" }]));
    expect([error.status, error.errors[0].code]).toEqual([404, 10007]);
  });
});
