/**
 * Tenants in service-worker syntax run through the edge as Cloudflare runs them: uploaded with
 * `body_part` (not `main_module`), bindings as globals, answered through `event.respondWith`. And
 * what the edge sends on is the Worker's answer, without Miniflare's internal headers.
 */
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { sdk } from "../emulator/helpers";
import { CLASSIC, workerForm } from "../emulator/script-helpers";

const DISPATCHER = `
export default {
  async fetch(request, env) {
    const tenant = new URL(request.url).hostname.split(".")[0];
    return env.TENANTS.get(tenant).fetch(request);
  },
};`;

const CLASSIC_TENANT = `
async function answer(request) {
  return new Response(GREETING + " from " + new URL(request.url).pathname, { headers: { "x-syntax": "service-worker" } });
}
addEventListener("fetch", (event) => {
  event.respondWith(answer(event.request));
});`;

const COMPRESSED_TENANT = `
export default {
  fetch() {
    return new Response("compressed ".repeat(200), { headers: { "content-encoding": "gzip", "content-type": "text/plain" } });
  },
};`;

describe("service-worker-syntax tenants at the edge", () => {
  let emu: Emulator;
  let cf: Cloudflare;
  const scripts = () => `/accounts/${emu.accountId}/workers`;
  const get = (host: string, p = "/") => edgeRequest(emu.edge!, host, p);

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    cf = sdk(emu);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "tenants" });
    await cf.put(`${scripts()}/dispatch/namespaces/tenants/scripts/classic`, {
      body: workerForm(
        { body_part: "script", compatibility_date: "2025-01-01", bindings: [{ type: "plain_text", name: "GREETING", text: "hello" }] },
        { "worker.js": { code: CLASSIC_TENANT, part: "script", type: CLASSIC } },
      ),
    });
    await cf.put(`${scripts()}/dispatch/namespaces/tenants/scripts/compressed`, {
      body: workerForm({ main_module: "index.js", compatibility_date: "2025-01-01" }, { "index.js": COMPRESSED_TENANT }),
    });
    await cf.put(`${scripts()}/scripts/dispatcher`, {
      body: workerForm(
        {
          main_module: "index.js",
          compatibility_date: "2025-01-01",
          bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }],
        },
        { "index.js": DISPATCHER },
      ),
    });
    await cf.workers.routes.create({
      zone_id: defaultZoneId(emu.accountId, "example.com"),
      pattern: "*.platform.example.com/*",
      script: "dispatcher",
    });
  });
  afterAll(() => emu?.close());

  it("are stored as uploaded with body_part and answer through respondWith, with their bindings as globals", async () => {
    expect(emu.state.script("tenants", "classic")!.modules.map((m) => [m.name, m.content_type])).toEqual([
      ["worker.js", "application/javascript"],
    ]);
    const res = await get("classic.platform.example.com", "/orders/7");
    expect(res.status).toBe(200);
    expect(res.text).toBe("hello from /orders/7");
    expect(res.headers["x-syntax"]).toBe("service-worker");
  });

  it("run the new code after a redeploy", async () => {
    await cf.put(`${scripts()}/dispatch/namespaces/tenants/scripts/classic`, {
      body: workerForm(
        { body_part: "script", compatibility_date: "2025-01-01", bindings: [{ type: "plain_text", name: "GREETING", text: "hi again" }] },
        { "worker.js": { code: CLASSIC_TENANT, part: "script", type: CLASSIC } },
      ),
    });
    expect((await get("classic.platform.example.com", "/")).text).toBe("hi again from /");
  });

  it("edge answers carry no Miniflare-internal header, and a decoded body no stale length", async () => {
    const res = await get("compressed.platform.example.com");
    expect(res.status).toBe(200);
    expect(res.text).toBe("compressed ".repeat(200));
    expect(Object.keys(res.headers).filter((name) => name.startsWith("mf-"))).toEqual([]);
    expect(res.headers["content-length"] === undefined || Number(res.headers["content-length"]) === res.text.length).toBe(true);
  });
});
