/**
 * Dispatch namespaces, driven through the official `cloudflare` SDK exactly as the provider uses it.
 */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, HEX32, raw, rejectionOf, sdk, UUID, type EnvelopeOf, type NamespaceResult } from "./helpers";
import { uploadModule } from "./script-helpers";

const OTHER_ACCOUNT = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
const ns = () => cf.workersForPlatforms.dispatch.namespaces;
const nsPath = (name = "") => `/accounts/${account_id}/workers/dispatch/namespaces${name ? `/${name}` : ""}`;

beforeAll(async () => {
  emu = await startEmulator({ accounts: [{ id: OTHER_ACCOUNT, name: "Other" }] });
  cf = sdk(emu, { maxRetries: 2 }); // default-like retries: proves 4xx answers are not retried
  account_id = emu.accountId;
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("create", () => {
  it("returns the documented namespace object", async () => {
    const created = await ns().create({ account_id, name: "tenants" });
    expect(created).toEqual({
      namespace_id: expect.stringMatching(UUID),
      namespace_name: "tenants",
      created_on: expect.stringMatching(CF_TIMESTAMP),
      created_by: expect.stringMatching(HEX32),
      modified_on: created.created_on,
      modified_by: created.created_by,
      script_count: 0,
      trusted_workers: false,
    });
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["tenants"]);
  });

  it("refuses a duplicate name with HTTP 400 / 100120, without SDK retries", async () => {
    await ns().create({ account_id, name: "dup" });
    const err = await rejectionOf(() => ns().create({ account_id, name: "dup" }));
    expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.errors[0]).toEqual({
      code: 100120,
      message: "A dispatch namespace named 'dup' already exists. Ensure it does not already exist.",
    });
    expect(emu.requests.count({ method: "POST" })).toBe(2);
    expect(emu.state.namespaces()).toHaveLength(1);
  });

  it("requires a name (400 / 10016 with a clear message)", async () => {
    for (const body of [{}, { name: "" }]) {
      const err = await rejectionOf(() => cf.post(nsPath(), { body }));
      expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
      expect(err.errors[0].code).toBe(10016);
      expect(err.errors[0].message).toMatch(/name is required/);
    }
    const viaSdk = await rejectionOf(() => ns().create({ account_id }));
    expect(viaSdk.errors[0].code).toBe(10016);
    expect(emu.state.namespaces()).toEqual([]);
  });

  it.each(["Upper", "-leading-dash", "_leading_underscore", "has space", "dot.ted", "slash/ed", "ü", "a".repeat(64)])(
    "rejects the invalid name %j with 400 / 10016 stating the rule",
    async (name) => {
      const err = await rejectionOf(() => ns().create({ account_id, name }));
      expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
      expect(err.errors[0].code).toBe(10016);
      expect(err.errors[0].message).toContain(`'${name}'`);
      expect(err.errors[0].message).toContain("1-63 characters");
    },
  );

  it.each(["a", "0", "tenant-prod_1", "9lives", "a".repeat(63)])("accepts the valid name %j", async (name) => {
    await expect(ns().create({ account_id, name })).resolves.toMatchObject({ namespace_name: name });
  });

  it("rejects a non-string name with 400", async () => {
    const err = await rejectionOf(() => cf.post(nsPath(), { body: { name: 42 } }));
    expect(err.status).toBe(400);
    expect(err.errors[0].message).toMatch(/'name' must be a string/);
  });

  it("does not take trusted_workers at creation time (set it with PUT/PATCH)", async () => {
    const created = await cf.post<EnvelopeOf<NamespaceResult>>(nsPath(), { body: { name: "t", trusted_workers: true } });
    expect(created.result.trusted_workers).toBe(false);
  });

  it("keeps names unique per account only", async () => {
    await ns().create({ account_id, name: "shared" });
    await expect(ns().create({ account_id: OTHER_ACCOUNT, name: "shared" })).resolves.toMatchObject({ namespace_name: "shared" });
    expect(emu.state.namespaces(OTHER_ACCOUNT)).toHaveLength(1);
  });
});

describe("list", () => {
  it("returns the whole array (no pagination), in creation order, per account", async () => {
    for (const name of ["b-ns", "a-ns", "c-ns"]) await ns().create({ account_id, name });
    await ns().create({ account_id: OTHER_ACCOUNT, name: "elsewhere" });

    const seen: string[] = [];
    for await (const item of ns().list({ account_id })) seen.push(item.namespace_name!);
    expect(seen).toEqual(["b-ns", "a-ns", "c-ns"]);

    const page = await ns().list({ account_id });
    expect(page.result).toHaveLength(3);
    expect(page.result[0]).toEqual(await ns().get("b-ns", { account_id }));
    const body = await raw(emu, "GET", nsPath());
    expect(body.json.result_info).toBeUndefined();
  });

  it("is an empty array when there are none", async () => {
    const page = await ns().list({ account_id });
    expect(page.result).toEqual([]);
  });
});

describe("get", () => {
  it("returns the same object as create", async () => {
    const created = await ns().create({ account_id, name: "one" });
    await expect(ns().get("one", { account_id })).resolves.toEqual(created);
  });

  it("answers 404 / 100119 for a missing namespace", async () => {
    const err = await rejectionOf(() => ns().get("ghost", { account_id }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.status).toBe(404);
    expect(err.errors[0]).toEqual({ code: 100119, message: "Dispatch namespace 'ghost' was not found." });
    expect(emu.requests.count()).toBe(1); // 404 is not retried
  });
});

describe("delete", () => {
  it("returns a null result and removes the namespace; a second delete is 404 / 100119", async () => {
    await ns().create({ account_id, name: "gone" });
    await expect(ns().delete("gone", { account_id })).resolves.toBeNull();
    const envelope = await raw(emu, "DELETE", nsPath("gone"));
    expect(envelope.status).toBe(404);
    expect(envelope.json.errors[0].code).toBe(100119);
    await expect(rejectionOf(() => ns().get("gone", { account_id }))).resolves.toBeInstanceOf(Cloudflare.NotFoundError);
    expect(emu.state.namespaces()).toEqual([]);
  });

  it("deletes the scripts inside the namespace (cascade)", async () => {
    await ns().create({ account_id, name: "with-scripts" });
    await uploadModule({ cf, account_id, namespace: "with-scripts" }, "tenant-a");
    await expect(ns().get("with-scripts", { account_id })).resolves.toMatchObject({ script_count: 1 });

    await ns().delete("with-scripts", { account_id });
    const again = await ns().create({ account_id, name: "with-scripts" });
    expect(again.script_count).toBe(0);
    expect(emu.state.namespace("with-scripts")!.scripts).toEqual({});
  });
});

describe("update (PUT / PATCH, raw SDK calls)", () => {
  it("renames with PUT, keeping the id and moving modified_on forward", async () => {
    const created = await ns().create({ account_id, name: "old-name" });
    const res = await cf.put<EnvelopeOf<NamespaceResult>>(nsPath("old-name"), { body: { name: "new-name" } });
    expect(res.success).toBe(true);
    expect(res.result).toMatchObject({ namespace_id: created.namespace_id, namespace_name: "new-name", created_on: created.created_on });
    expect(res.result.modified_on > created.modified_on!).toBe(true);
    await expect(rejectionOf(() => ns().get("old-name", { account_id }))).resolves.toBeInstanceOf(Cloudflare.NotFoundError);
    await expect(ns().get("new-name", { account_id })).resolves.toMatchObject({ namespace_id: created.namespace_id });
  });

  it("refuses a rename onto an existing name with 400 / 100120", async () => {
    await ns().create({ account_id, name: "first" });
    await ns().create({ account_id, name: "second" });
    const err = await rejectionOf(() => cf.put(nsPath("first"), { body: { name: "second" } }));
    expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(err.errors[0].code).toBe(100120);
    expect(err.errors[0].message).toContain("'second' already exists");
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["first", "second"]);
  });

  it("accepts PUT with its own name (switch to trusted mode, as in Cloudflare's docs)", async () => {
    await ns().create({ account_id, name: "trusty" });
    const res = await cf.put<EnvelopeOf<NamespaceResult>>(nsPath("trusty"), { body: { name: "trusty", trusted_workers: true } });
    expect(res.result).toMatchObject({ namespace_name: "trusty", trusted_workers: true });
    await expect(ns().get("trusty", { account_id })).resolves.toMatchObject({ trusted_workers: true });
  });

  it("PATCH leaves omitted fields unchanged; PUT resets an omitted trusted_workers to false [INF]", async () => {
    await ns().create({ account_id, name: "p" });
    await cf.patch(nsPath("p"), { body: { trusted_workers: true } });
    await expect(ns().get("p", { account_id })).resolves.toMatchObject({ namespace_name: "p", trusted_workers: true });
    await cf.patch(nsPath("p"), { body: { name: "p2" } });
    await expect(ns().get("p2", { account_id })).resolves.toMatchObject({ trusted_workers: true });
    await cf.put(nsPath("p2"), { body: { name: "p3" } });
    await expect(ns().get("p3", { account_id })).resolves.toMatchObject({ trusted_workers: false });
  });

  it("validates the new name and the field types", async () => {
    await ns().create({ account_id, name: "v" });
    const badName = await rejectionOf(() => cf.put(nsPath("v"), { body: { name: "Bad Name" } }));
    expect(badName.errors[0].code).toBe(10016);
    const badFlag = await rejectionOf(() => cf.patch(nsPath("v"), { body: { trusted_workers: "yes" } }));
    expect(badFlag.status).toBe(400);
    expect(badFlag.errors[0].message).toMatch(/trusted_workers/);
    expect(emu.state.namespace("v")).toMatchObject({ trusted_workers: false });
  });

  it("answers 404 / 100119 when the namespace does not exist", async () => {
    const err = await rejectionOf(() => cf.put(nsPath("nobody"), { body: { name: "x" } }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0].code).toBe(100119);
  });
});
