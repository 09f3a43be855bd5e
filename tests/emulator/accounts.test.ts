/** `GET /accounts` (page-number pagination the SDK auto-paginates) and `GET /accounts/:id`. */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, raw, rejectionOf, sdk } from "./helpers";

const hex = (c: string) => c.repeat(32);
const EXTRA = ["1", "2", "3", "4", "5", "6"].map((c) => ({ id: hex(c), name: `Tenant ${c}` }));

describe("with a single default account", () => {
  let emu: Emulator;
  beforeAll(async () => (emu = await startEmulator()));
  afterAll(() => emu.close());

  it("lists it; the SDK's auto-pagination stops on the empty page that follows", async () => {
    const cf = sdk(emu);
    const all = [];
    for await (const a of cf.accounts.list()) all.push(a);
    expect(all).toEqual([
      {
        id: emu.accountId,
        name: "Emulated Account",
        type: "standard",
        settings: expect.objectContaining({ enforce_twofactor: false }),
        created_on: expect.stringMatching(CF_TIMESTAMP),
      },
    ]);
    const gets = emu.requests.filter({ path: "/accounts" });
    expect(gets.map((e) => e.query)).toEqual(["", "page=2"]);
  });

  it("gets the account by id", async () => {
    const a = await sdk(emu).accounts.get({ account_id: emu.accountId });
    expect(a).toMatchObject({ id: emu.accountId, name: "Emulated Account", type: "standard" });
  });

  it("answers 403 / 10000 for a well-formed id that is not an account of the caller", async () => {
    const err = await rejectionOf(() => sdk(emu).accounts.get({ account_id: hex("f") }));
    expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
    expect(err.errors[0]).toEqual({ code: 10000, message: "Authentication error" });
  });
});

describe("with several accounts and scoped tokens", () => {
  let emu: Emulator;
  beforeAll(
    async () =>
      (emu = await startEmulator({
        accountId: hex("0"),
        accounts: EXTRA,
        tokens: [{ token: "only-tenant-1", accounts: [hex("1")] }],
      })),
  );
  afterAll(() => emu.close());
  beforeEach(() => emu.requests.clear());

  it("pages with page / per_page and result_info; a page past the end is []", async () => {
    const p1 = await raw(emu, "GET", "/accounts?per_page=3");
    expect(p1.json.result.map((a: { id: string }) => a.id)).toEqual([hex("0"), hex("1"), hex("2")]);
    expect(p1.json.result_info).toEqual({ page: 1, per_page: 3, count: 3, total_count: 7, total_pages: 3 });
    const p3 = await raw(emu, "GET", "/accounts?per_page=3&page=3");
    expect(p3.json.result_info).toEqual({ page: 3, per_page: 3, count: 1, total_count: 7, total_pages: 3 });
    const p4 = await raw(emu, "GET", "/accounts?per_page=3&page=4");
    expect(p4.status).toBe(200);
    expect(p4.json.result).toEqual([]);
    expect(p4.json.result_info).toMatchObject({ page: 4, count: 0, total_count: 7 });
  });

  it("lets the SDK walk every page and stop", async () => {
    const ids = [];
    for await (const a of sdk(emu).accounts.list({ per_page: 3 })) ids.push(a.id);
    expect(ids).toHaveLength(7);
    expect(emu.requests.count({ path: "/accounts" })).toBe(4); // 3 full pages + the empty one
  });

  it("caps per_page at 50 and falls back to defaults for nonsense [INF]", async () => {
    expect((await raw(emu, "GET", "/accounts?per_page=500")).json.result_info.per_page).toBe(50);
    expect((await raw(emu, "GET", "/accounts?per_page=abc&page=-1")).json.result_info).toMatchObject({ page: 1, per_page: 20 });
  });

  it("filters by name and sorts by direction", async () => {
    const byName = await raw(emu, "GET", "/accounts?name=tenant%203");
    expect(byName.json.result.map((a: { name: string }) => a.name)).toEqual(["Tenant 3"]);
    const desc = await raw(emu, "GET", "/accounts?direction=desc&per_page=2");
    expect(desc.json.result.map((a: { name: string }) => a.name)).toEqual(["Tenant 6", "Tenant 5"]);
  });

  it("shows a scoped token only its accounts, and refuses the others with 403 / 10000", async () => {
    const scoped = sdk(emu, { apiToken: "only-tenant-1" });
    const seen = [];
    for await (const a of scoped.accounts.list()) seen.push(a.id);
    expect(seen).toEqual([hex("1")]);
    await expect(scoped.accounts.get({ account_id: hex("1") })).resolves.toMatchObject({ name: "Tenant 1" });
    const err = await rejectionOf(() => scoped.accounts.get({ account_id: hex("2") }));
    expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
    expect(err.errors[0].code).toBe(10000);
    const nsErr = await rejectionOf(() => scoped.workersForPlatforms.dispatch.namespaces.list({ account_id: hex("0") }));
    expect(nsErr.status).toBe(403);
  });
});
