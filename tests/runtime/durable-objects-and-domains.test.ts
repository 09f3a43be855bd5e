/**
 * The emulator's edge with a platform on its own hostname: a custom domain sends every path to the
 * dispatcher, and a tenant's own Durable Object class keeps its count between requests (one object per
 * name, its storage surviving a re-upload of the tenant's code).
 */
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";

const COUNTER = (greeting: string) => `
import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  async increment() {
    const next = ((await this.ctx.storage.get("count")) ?? 0) + 1;
    await this.ctx.storage.put("count", next);
    return next;
  }
  async fetch(request) {
    return new Response(${JSON.stringify(greeting)} + " " + new URL(request.url).pathname);
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, op, name] = url.pathname.split("/");
    const stub = env.COUNTER.get(env.COUNTER.idFromName(name));
    if (op === "fetch") return stub.fetch(request);
    return Response.json({ counter: name, count: await stub.increment(), sameId: env.COUNTER.idFromName(name).equals(stub.id) });
  },
};`;

const DISPATCHER = `
import { DurableObject } from "cloudflare:workers";
export class Hits extends DurableObject {
  async add() {
    const next = ((await this.ctx.storage.get("hits")) ?? 0) + 1;
    await this.ctx.storage.put("hits", next);
    return next;
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/hits") return new Response(String(await env.HITS.get(env.HITS.idFromName("all")).add()));
    const [, tenant, ...rest] = url.pathname.split("/");
    url.pathname = "/" + rest.join("/");
    return env.TENANTS.get(tenant).fetch(new Request(url, request));
  },
};`;

jest.setTimeout(60_000);

const form = (metadata: Record<string, unknown>, code: string) =>
  workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }, { "index.js": code });

describe("a tenant's Durable Object and a custom domain, through the edge", () => {
  let emu: Emulator;
  let cf: Cloudflare;
  let account_id: string;
  const get = async (host: string, p: string) => edgeRequest(emu.edge!, host, p);
  const uploadCounter = (greeting: string, migrations?: unknown) =>
    cf.put(`/accounts/${account_id}/workers/dispatch/namespaces/tenants/scripts/counter`, {
      body: form(
        { bindings: [{ type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" }], ...(migrations ? { migrations } : {}) },
        COUNTER(greeting),
      ),
    });

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    cf = sdk(emu);
    account_id = emu.accountId;
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    await uploadCounter("hello", { new_tag: "v1", new_sqlite_classes: ["Counter"] });
    await cf.put(`/accounts/${account_id}/workers/scripts/dispatcher`, {
      body: form(
        {
          bindings: [
            { type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" },
            { type: "durable_object_namespace", name: "HITS", class_name: "Hits" },
          ],
          migrations: { new_tag: "v1", new_sqlite_classes: ["Hits"] },
        },
        DISPATCHER,
      ),
    });
    await cf.workers.domains.update({
      account_id,
      hostname: "platform.example.com",
      service: "dispatcher",
      zone_id: defaultZoneId(account_id, "example.com"),
    });
  });
  afterAll(() => emu?.close());

  it("the custom domain's hostname reaches the dispatcher on every path; another hostname reaches nothing", async () => {
    const hit = await get("platform.example.com", "/counter/fetch/x");
    expect(hit).toMatchObject({ status: 200, text: "hello /fetch/x" });
    const miss = await get("other.example.com", "/counter/fetch/x");
    expect(miss.status).toBe(404);
  });

  it("the counter increments per name, through the edge, with RPC to the tenant's class", async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(JSON.parse((await get("platform.example.com", "/counter/count/visits")).text));
    expect(counts.map((c) => c.count)).toEqual([1, 2, 3]);
    expect(counts[0]).toMatchObject({ counter: "visits", sameId: true });
    expect(JSON.parse((await get("platform.example.com", "/counter/count/other")).text).count).toBe(1);
  });

  it("the dispatcher's own Durable Object class keeps its count too", async () => {
    const hits = [];
    for (let i = 0; i < 2; i++) hits.push((await get("platform.example.com", "/hits")).text);
    expect(hits).toEqual(["1", "2"]);
  });

  it("a re-upload of the tenant runs its new code on the same stored count", async () => {
    const before = JSON.parse((await get("platform.example.com", "/counter/count/kept")).text).count;
    await uploadCounter("bonjour");
    expect((await get("platform.example.com", "/counter/fetch/y")).text).toBe("bonjour /fetch/y");
    expect(JSON.parse((await get("platform.example.com", "/counter/count/kept")).text).count).toBe(before + 1);
  });
});
