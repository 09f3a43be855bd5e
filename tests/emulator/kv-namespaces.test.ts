/** Workers KV namespaces and (optional) key/value storage through `client.kv.namespaces`. */
import Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { HEX32, raw, rejectionOf, useEmulator } from "./helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
const kv = () => cf.kv.namespaces;

useEmulator((f) => ({ emu, cf, account_id } = f));

describe("namespaces", () => {
  it("create answers { id, title, supports_url_encoding } and records it (StateView.kvNamespaces)", async () => {
    const ns = await kv().create({ account_id, title: "SESSIONS" });
    expect(ns).toEqual({ id: expect.stringMatching(HEX32), title: "SESSIONS", supports_url_encoding: true });
    await expect(kv().create({ account_id, title: "EU", jurisdiction: "eu" })).resolves.toMatchObject({ jurisdiction: "eu" });
    expect(emu.state.kvNamespaces().map((n) => [n.id, n.title])).toEqual([
      [ns.id, "SESSIONS"],
      [expect.any(String), "EU"],
    ]);
  });

  it("refuses a duplicate title (400 / 10014) and a missing title (400 / 10019)", async () => {
    await kv().create({ account_id, title: "dup" });
    const dup = await rejectionOf(() => kv().create({ account_id, title: "dup" }));
    expect(dup).toBeInstanceOf(Cloudflare.BadRequestError);
    expect(dup.errors[0]).toEqual({ code: 10014, message: "a namespace with this account ID and title already exists" });
    for (const body of [{}, { title: "" }]) {
      const res = await raw(emu, "POST", `/accounts/${account_id}/storage/kv/namespaces`, { body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.json.errors[0].code).toBe(10019);
    }
  });

  it("list is paged (page, per_page, result_info) and the SDK's auto-pagination stops", async () => {
    for (let i = 0; i < 7; i++) await kv().create({ account_id, title: `ns-${i}` });
    const first = await kv().list({ account_id, per_page: 5 });
    expect(first.result.map((n) => n.title)).toEqual(["ns-0", "ns-1", "ns-2", "ns-3", "ns-4"]);
    expect(first.result_info).toEqual({ page: 1, per_page: 5, count: 5, total_count: 7, total_pages: 2 });
    const titles: string[] = [];
    for await (const n of kv().list({ account_id, per_page: 5 })) titles.push(n.title);
    expect(titles).toHaveLength(7);
    const desc = await kv().list({ account_id, order: "title", direction: "desc", per_page: 5 });
    expect(desc.result.map((n) => n.title)).toEqual(["ns-6", "ns-5", "ns-4", "ns-3", "ns-2"]);
    expect((await kv().list({ account_id, page: 3, per_page: 5 })).result).toEqual([]);
  });

  it("get, rename (PUT), delete; unknown ids are 404 / 10013", async () => {
    const ns = await kv().create({ account_id, title: "old" });
    await kv().create({ account_id, title: "taken" });
    await expect(kv().get(ns.id, { account_id })).resolves.toEqual(ns);
    await expect(kv().update(ns.id, { account_id, title: "new" })).resolves.toEqual({ ...ns, title: "new" });
    await expect(kv().update(ns.id, { account_id, title: "new" })).resolves.toMatchObject({ title: "new" });
    const clash = await rejectionOf(() => kv().update(ns.id, { account_id, title: "taken" }));
    expect(clash.errors[0].code).toBe(10014);
    await expect(kv().delete(ns.id, { account_id })).resolves.toEqual({});
    for (const call of [() => kv().get(ns.id, { account_id }), () => kv().delete(ns.id, { account_id })]) {
      const err = await rejectionOf(call);
      expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
      expect(err.errors[0]).toEqual({ code: 10013, message: "namespace not found" });
    }
    expect(emu.state.kvNamespaces().map((n) => n.title)).toEqual(["taken"]);
  });
});

describe("values and keys", () => {
  let namespace_id: string;
  beforeEach(async () => {
    namespace_id = (await kv().create({ account_id, title: "data" })).id;
  });

  it("PUT (multipart value + metadata) / GET (raw bytes) / DELETE a value", async () => {
    await expect(
      kv().values.update("user/1", { account_id, namespace_id, value: "hello", metadata: JSON.stringify({ v: 1 }) }),
    ).resolves.toEqual({});
    const res = await kv().values.get("user/1", { account_id, namespace_id });
    expect(await res.text()).toBe("hello");
    expect(emu.state.kvNamespaces()[0].entries).toEqual([
      { name: "user/1", value_base64: Buffer.from("hello").toString("base64"), metadata: { v: 1 } },
    ]);
    await expect(kv().values.delete("user/1", { account_id, namespace_id })).resolves.toEqual({});
    const gone = await rejectionOf(() => kv().values.get("user/1", { account_id, namespace_id }));
    expect(gone).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(gone.errors[0]).toEqual({ code: 10009, message: "get: 'key not found'" });
  });

  it("takes a raw body too, with expiration_ttl (at least 60 s)", async () => {
    const path = `/accounts/${account_id}/storage/kv/namespaces/${namespace_id}/values/raw`;
    const put = await raw(emu, "PUT", `${path}?expiration_ttl=120`, {
      body: "bytes",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(200);
    const [entry] = emu.state.kvNamespaces()[0].entries;
    expect(entry.expiration).toBeGreaterThan(Date.now() / 1000 + 100);
    const tooShort = await raw(emu, "PUT", `${path}?expiration_ttl=10`, { body: "x", headers: { "content-type": "text/plain" } });
    expect(tooShort.status).toBe(400);
  });

  it("lists keys in byte order with prefix and cursor pagination", async () => {
    for (const key of ["b", "a/2", "a/1", "c"]) await kv().values.update(key, { account_id, namespace_id, value: key });
    const keys = await kv().keys.list(namespace_id, { account_id, prefix: "a/" });
    expect(keys.result).toEqual([{ name: "a/1" }, { name: "a/2" }]);
    for (let i = 0; i < 12; i++) await kv().values.update(`k${String(i).padStart(2, "0")}`, { account_id, namespace_id, value: "x" });
    const page = await kv().keys.list(namespace_id, { account_id, limit: 10 });
    expect(page.result).toHaveLength(10);
    expect(page.result_info.cursor).not.toBe("");
    const all: string[] = [];
    for await (const k of kv().keys.list(namespace_id, { account_id, limit: 10 })) all.push(k.name);
    expect(all).toEqual(["a/1", "a/2", "b", "c", ...Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, "0")}`)]);
  });

  it("answers 404 / 10013 for values of an unknown namespace", async () => {
    const err = await rejectionOf(() => kv().values.update("k", { account_id, namespace_id: "f".repeat(32), value: "v" }));
    expect(err.errors[0].code).toBe(10013);
  });
});
