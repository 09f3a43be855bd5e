/** Bindings and compatibility settings in the local runtime: KV, service bindings, outbound Workers, dates, failures. */
import { createMemoryKv, RuntimeStartError, WorkersRuntime, type RuntimeKv, type RuntimeWarning } from "../../emulator/runtime";
import { FakeSource } from "./fake-source";

const DISPATCH = `
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.split("/")[1];
    try { return await env.NS.get(name).fetch(request); }
    catch (e) { return new Response(e.message, { status: e.message.startsWith("Worker not found") ? 404 : 500 }); }
  },
};`;
const NS = [{ type: "dispatch_namespace", name: "NS", namespace: "ns" }];

function setup(options: { isolateTenants?: boolean; kv?: RuntimeKv } = {}) {
  const source = new FakeSource();
  source.kv = options.kv; // read when the runtime is created
  const warnings: RuntimeWarning[] = [];
  const logs: string[] = [];
  const runtime = new WorkersRuntime(source, {
    isolateTenants: options.isolateTenants,
    onWarning: (w) => warnings.push(w),
    onLog: (l) => logs.push(l),
  });
  const text = async (script: string, path: string, init?: { method?: string; body?: string }) => {
    const res = await runtime.fetch(script, `http://test.local${path}`, init);
    return `${res.status} ${await res.text()}`;
  };
  return { source, runtime, warnings, logs, text };
}

describe("local runtime bindings", () => {
  it("gives account scripts and tenants the same KV namespaces (source.kv backing)", async () => {
    const kv = createMemoryKv();
    const t = setup({ kv });
    await kv.put("ns-1", "seed", new TextEncoder().encode(JSON.stringify({ n: 1 })), { metadata: { by: "test" } });
    t.source.putAccount("dispatcher", {
      code: `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/admin") {
      await env.KV.put("from-account", "hi", { metadata: { m: 1 } });
      const seed = await env.KV.get("seed", "json");
      const meta = await env.KV.getWithMetadata("seed");
      const list = await env.KV.list({ prefix: "from" });
      await env.KV.delete("nothing");
      return Response.json({ seed, meta: meta.metadata, keys: list.keys, missing: await env.KV.get("missing") });
    }
    return env.NS.get("tenant").fetch(request);
  },
};`,
      bindings: [...NS, { type: "kv_namespace", name: "KV", namespace_id: "ns-1" }],
    });
    t.source.putTenant("ns", "tenant", {
      code: `export default { async fetch(r, env) { await env.STORE.put("from-tenant", new Uint8Array([104, 105])); return new Response(await env.STORE.get("from-account")); } }`,
      bindings: [{ type: "kv_namespace", name: "STORE", namespace_id: "ns-1" }],
    });
    try {
      expect(JSON.parse((await t.text("dispatcher", "/admin")).slice(4))).toEqual({
        seed: { n: 1 },
        meta: { by: "test" },
        keys: [{ name: "from-account", metadata: { m: 1 } }],
        missing: null,
      });
      expect(await t.text("dispatcher", "/tenant")).toBe("200 hi");
      expect(new TextDecoder().decode(await kv.get("ns-1", "from-tenant"))).toBe("hi");
    } finally {
      await t.runtime.close();
    }
  });

  it("runs service bindings between account scripts, service-worker syntax, and old compatibility dates", async () => {
    const t = setup();
    t.source.putAccount("front", {
      code: DISPATCH.replace("const name", "if (new URL(request.url).pathname === '/api') return env.API.fetch(request);\n    const name"),
      bindings: [...NS, { type: "service", name: "API", service: "api" }, { type: "service", name: "GONE", service: "missing" }],
      compatibilityDate: "2022-01-01",
    });
    t.source.putAccount("api", {
      code: `addEventListener("fetch", (e) => e.respondWith(new Response("api says " + GREETING)));`,
      mainContentType: "application/javascript",
      bindings: [{ type: "plain_text", name: "GREETING", text: "hi" }],
    });
    t.source.putTenant("ns", "t", { code: `export default { fetch() { return new Response("tenant ok"); } }` });
    try {
      expect(await t.text("front", "/api")).toBe("200 api says hi");
      expect(await t.text("front", "/t")).toBe("200 tenant ok");
      expect(t.warnings).toContainEqual(
        expect.objectContaining({ script: "front", message: expect.stringContaining("no account script 'missing'") }),
      );
      expect(t.warnings).toContainEqual(expect.objectContaining({ script: "front", message: expect.stringContaining("rpc") }));
    } finally {
      await t.runtime.close();
    }
  });

  it("clamps compatibility dates newer than workerd supports, and reports it", async () => {
    const t = setup();
    t.source.putAccount("dispatcher", { code: DISPATCH, bindings: NS, compatibilityDate: "2099-01-01" });
    t.source.putTenant("ns", "future", {
      code: `export default { fetch() { return new Response("ok"); } }`,
      compatibilityDate: "2099-12-31",
    });
    try {
      expect(await t.text("dispatcher", "/future")).toBe("200 ok");
      expect(
        t.warnings
          .filter((w) => w.message.includes("newer than the local workerd supports"))
          .map((w) => w.script)
          .sort(),
      ).toEqual(["dispatcher", "future"]);
    } finally {
      await t.runtime.close();
    }
  });

  it("sends tenants' subrequests to the namespace's outbound Worker; isolates them otherwise when asked", async () => {
    const t = setup({ isolateTenants: true });
    t.source.putAccount("dispatcher", { code: DISPATCH, bindings: [{ ...NS[0], outbound: { worker: { service: "egress" } } }] });
    t.source.putAccount("egress", { code: `export default { fetch(r) { return new Response("egress saw " + r.url); } }` });
    t.source.putAccount("plain", { code: DISPATCH, bindings: NS });
    t.source.putTenant("ns", "caller", {
      code: `export default { async fetch() { const r = await fetch("https://example.net/x"); return new Response(await r.text()); } }`,
    });
    try {
      expect(await t.text("dispatcher", "/caller")).toBe("200 egress saw https://example.net/x");
      expect(await t.text("plain", "/caller")).toMatch(/^500 /); // globalOutbound: null
    } finally {
      await t.runtime.close();
    }
  });

  it("fails clearly when account scripts cannot start, and recovers once they are fixed", async () => {
    const t = setup();
    t.source.putAccount("broken", {
      code: `export default { fetch() { return new Response("fixed"); } }`,
      compatibilityFlags: ["no_such_flag_xyz"],
    });
    try {
      const error = await t.runtime.fetch("broken", "http://x/").catch((e) => e);
      expect(error).toBeInstanceOf(RuntimeStartError);
      expect(error.message).toContain("broken");
      expect(error.message).toContain("no_such_flag_xyz");
      // Same (broken) source: the same error, without another start attempt.
      await expect(t.runtime.fetch("broken", "http://x/")).rejects.toBe(error);
      t.source.putAccount("broken", { code: `export default { fetch() { return new Response("fixed"); } }` });
      expect(await t.text("broken", "/")).toBe("200 fixed");
    } finally {
      await t.runtime.close();
    }
  });

  it("surfaces a tenant that cannot load as an exception in the dispatcher", async () => {
    const t = setup();
    t.source.putAccount("dispatcher", { code: DISPATCH, bindings: NS });
    t.source.putTenant("ns", "syntax", { code: `export default { fetch() { return new Response("x") ` });
    t.source.putTenant("ns", "badflag", {
      code: `export default { fetch() { return new Response("x"); } }`,
      compatibilityFlags: ["no_such_flag_xyz"],
    });
    t.source.putTenant("ns", "classic", { code: `addEventListener("fetch", () => {})`, mainContentType: "application/javascript" });
    try {
      expect(await t.text("dispatcher", "/syntax")).toMatch(/^500 /);
      expect(await t.text("dispatcher", "/badflag")).toMatch(/^500 /);
      // Service-worker syntax runs, but a listener that never calls respondWith() has no origin to fall back to.
      expect(await t.text("dispatcher", "/classic")).toMatch(/^500 .*respondWith/);
    } finally {
      await t.runtime.close();
    }
  });
});
