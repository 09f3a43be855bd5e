/** Account dispatcher → tenants in a dispatch namespace, run in workerd through the local runtime. */
import { WorkersRuntime, type RuntimeWarning } from "../../emulator/runtime";
import { FakeSource } from "./fake-source";

const DISPATCHER = `
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.split("/")[1];
    try {
      return await env.TENANTS.get(name).fetch(request);
    } catch (e) {
      if (e.message.startsWith("Worker not found")) return new Response("no tenant " + name, { status: 404 });
      return new Response("dispatch failed: " + e.message, { status: 500 });
    }
  },
};`;

const TENANT = (label: string) => `
export default {
  async fetch(request, env) {
    return Response.json({ label: ${JSON.stringify(label)}, greeting: env.GREETING, config: env.CONFIG, path: new URL(request.url).pathname });
  },
};`;

describe("local Workers runtime: dispatch namespace", () => {
  const source = new FakeSource();
  const warnings: RuntimeWarning[] = [];
  const runtime = new WorkersRuntime(source, { onWarning: (w) => warnings.push(w), onLog: () => undefined });

  beforeAll(() => {
    source.putAccount("dispatcher", {
      code: DISPATCHER,
      bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }],
    });
    source.putTenant("tenants", "customer-a", {
      code: TENANT("a"),
      bindings: [
        { type: "plain_text", name: "GREETING", text: "hello a" },
        { type: "json", name: "CONFIG", json: { plan: "pro", seats: 3 } },
      ],
    });
    source.putTenant("tenants", "customer-b", {
      code: TENANT("b"),
      bindings: [
        { type: "secret_text", name: "GREETING", text: "hello b" },
        { type: "json", name: "CONFIG", json: ["x"] },
      ],
    });
  });
  afterAll(() => runtime.close());

  async function get(path: string): Promise<{ status: number; text: string }> {
    const res = await runtime.fetch("dispatcher", `http://platform.example.com${path}`);
    return { status: res.status, text: await res.text() };
  }

  it("reaches two tenants, each with its own text and JSON vars", async () => {
    const a = await get("/customer-a/x");
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toEqual({ label: "a", greeting: "hello a", config: { plan: "pro", seats: 3 }, path: "/customer-a/x" });
    const b = await get("/customer-b");
    expect(JSON.parse(b.text)).toEqual({ label: "b", greeting: "hello b", config: ["x"], path: "/customer-b" });
  });

  it("serves a tenant's new code on the next request, without restarting workerd", async () => {
    const before = runtime.stats().starts;
    source.putTenant("tenants", "customer-a", { code: `export default { fetch() { return new Response("a v2"); } }` });
    expect(await get("/customer-a")).toEqual({ status: 200, text: "a v2" });
    source.putTenant("tenants", "customer-c", { code: `export default { fetch() { return new Response("new tenant c"); } }` });
    expect(await get("/customer-c")).toEqual({ status: 200, text: "new tenant c" });
    expect(runtime.stats().starts).toBe(before);
  });

  it("picks up a configuration-only change (same code etag)", async () => {
    const s = source.namespaceScript("tenants", "customer-b")!;
    source.namespaces.get("tenants")!.set("customer-b", { ...s, bindings: [{ type: "plain_text", name: "GREETING", text: "hi again" }] });
    expect(JSON.parse((await get("/customer-b")).text).greeting).toBe("hi again");
  });

  it("throws 'Worker not found' for an unknown or deleted tenant, which the dispatcher can catch", async () => {
    expect(await get("/nobody")).toEqual({ status: 404, text: "no tenant nobody" });
    source.deleteTenant("tenants", "customer-c");
    expect(await get("/customer-c")).toEqual({ status: 404, text: "no tenant customer-c" });
  });

  it("reloads the dispatcher when its code changes", async () => {
    const before = runtime.stats().starts;
    source.putAccount("dispatcher", {
      code: DISPATCHER.replace("no tenant ", "nothing called "),
      bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }],
    });
    expect(await get("/nobody")).toEqual({ status: 404, text: "nothing called nobody" });
    expect(runtime.stats().starts).toBe(before + 1);
  });

  it("reports unsupported bindings instead of failing", async () => {
    source.putTenant("tenants", "customer-r2", {
      code: `export default { fetch(r, env) { return new Response(String(env.BUCKET) + " " + env.NAME); } }`,
      bindings: [
        { type: "r2_bucket", name: "BUCKET", bucket_name: "b" },
        { type: "plain_text", name: "NAME", text: "ok" },
      ],
    });
    expect(await get("/customer-r2")).toEqual({ status: 200, text: "undefined ok" });
    expect(warnings).toContainEqual(expect.objectContaining({ script: "customer-r2", message: expect.stringContaining("r2_bucket") }));
  });
});
