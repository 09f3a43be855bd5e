/** The local edge: Host + path → zone route / workers.dev → account script → dispatch namespace tenant. */
import { startEdge, type Edge } from "../../emulator/runtime";
import { edgeRequest as get } from "../../emulator/edge-client";
import { FakeSource } from "./fake-source";

describe("local edge", () => {
  const source = new FakeSource();
  let edge: Edge;

  beforeAll(async () => {
    source.putAccount("router", {
      code: `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/echo") {
      return new Response(request.method + " " + url.host + " " + (await request.text()), { headers: { "set-cookie": "a=1" } });
    }
    const tenant = url.hostname.split(".")[0];
    try {
      return await env.TENANTS.get(tenant).fetch(request);
    } catch (e) {
      if (e.message.startsWith("Worker not found")) return new Response("unknown customer " + tenant, { status: 404 });
      throw e;
    }
  },
};`,
      bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "customers" }],
    });
    source.putAccount("hello", { code: `export default { fetch() { return new Response("hello from workers.dev"); } }` });
    source.putTenant("customers", "customer-a", {
      code: `export default { fetch(request, env) { return new Response(env.NAME + " at " + new URL(request.url).pathname); } }`,
      bindings: [{ type: "plain_text", name: "NAME", text: "Customer A" }],
    });
    source.routeList = [{ pattern: "*.platform.example.com/*", script: "router" }];
    source.dev = { subdomain: "acme", enabledScripts: ["hello"] };
    edge = await startEdge({ source, runtimeOptions: { onLog: () => undefined } });
  });
  afterAll(() => edge.close());

  it("routes a tenant hostname through the router Worker to the tenant", async () => {
    expect(await get(edge, "customer-a.platform.example.com", "/dashboard")).toMatchObject({
      status: 200,
      text: "Customer A at /dashboard",
    });
    expect(await get(edge, "customer-z.platform.example.com", "/")).toMatchObject({ status: 404, text: "unknown customer customer-z" });
  });

  it("passes method, Host, body and Set-Cookie through", async () => {
    const res = await get(edge, "x.platform.example.com:8443", "/echo", "POST", "payload");
    expect(res).toMatchObject({ status: 200, text: "POST x.platform.example.com:8443 payload" });
    expect(res.headers["set-cookie"]).toEqual(["a=1"]);
  });

  it("serves <script>.<subdomain>.workers.dev", async () => {
    expect(await get(edge, "hello.acme.workers.dev", "/")).toMatchObject({ status: 200, text: "hello from workers.dev" });
  });

  it("answers 404 when nothing matches", async () => {
    const res = await get(edge, "platform.example.com", "/");
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/^404 Not Found/);
    expect((await get(edge, "router.acme.workers.dev", "/")).status).toBe(404); // workers.dev not enabled for router
  });
});
