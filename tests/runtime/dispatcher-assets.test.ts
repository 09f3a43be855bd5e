/**
 * Static assets at the emulator's edge beyond a tenant's files: the dispatcher's own assets (served
 * before it runs, with the same config semantics), `_headers` and `_redirects` applied to asset
 * responses, and the `assets` binding (`env.ASSETS.fetch`) of a dispatcher and of a tenant.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { ProviderContext } from "../../provider/context";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type { NamespacedWorkerScriptInputs } from "../../provider/resources/namespaced-worker-script";
import { type WorkerScriptInputs, workerScriptResource } from "../../provider/resources/worker-script";
import { sdk } from "../emulator/helpers";

const DISPATCHER = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/t/")) return env.TENANTS.get("site").fetch(new Request(new URL(url.pathname.slice(2), url), request));
    if (url.pathname.startsWith("/binding/")) {
      const answer = await env.ASSETS.fetch(new Request(new URL(url.pathname.slice("/binding".length), url)));
      return new Response("via binding: " + answer.status + " " + (await answer.text()), { headers: { "x-platform": answer.headers.get("x-platform") ?? "none" } });
    }
    return new Response("dispatcher " + url.pathname);
  },
};`;
const TENANT = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/from-binding") return env.ASSETS.fetch(new URL("/about", url).href);
    return new Response("tenant " + url.pathname);
  },
};`;

jest.setTimeout(120_000);

describe("assets at the edge: the dispatcher's, _headers, _redirects and the assets binding", () => {
  let emu: Emulator;
  let site: string;
  const get = (p: string) => edgeRequest(emu.edge!, "platform.example.com", p);

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    const context = new ProviderContext({ env: emu.env });
    const tenant = namespacedWorkerScriptResource(context);
    const dispatcher = workerScriptResource(context);
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "tenants" });
    site = fs.mkdtempSync(path.join(os.tmpdir(), "platform-site-"));
    fs.writeFileSync(path.join(site, "index.html"), "<h1>Platform</h1>\n");
    fs.writeFileSync(path.join(site, "docs.html"), "<h1>Docs</h1>\n");
    fs.writeFileSync(path.join(site, "secret.txt"), "plain\n");
    fs.writeFileSync(path.join(site, "_headers"), "/*\n  X-Platform: yes\n\n/secret.txt\n  ! Content-Type\n");
    fs.writeFileSync(path.join(site, "_redirects"), "/old /docs 301\n/alias /docs 200\n/go/* https://example.org/:splat 302\n");

    const tenantInputs: NamespacedWorkerScriptInputs = {
      namespace: "tenants",
      scriptName: "site",
      content: TENANT,
      compatibilityDate: "2025-01-01",
      bindings: { ASSETS: { type: "assets" } },
      assets: { directory: path.join(__dirname, "../fixtures/site"), config: { redirects: "/legacy /about 308" } },
    };
    await tenant.create((await tenant.check({}, tenantInputs)).inputs as NamespacedWorkerScriptInputs);
    const dispatcherInputs: WorkerScriptInputs = {
      scriptName: "dispatcher",
      content: DISPATCHER,
      compatibilityDate: "2025-01-01",
      bindings: { TENANTS: { type: "dispatch_namespace", namespace: "tenants" }, ASSETS: { type: "assets" } },
      assets: { directory: site, config: { runWorkerFirst: ["/t/*", "/binding/*"] } },
      routes: [{ pattern: "platform.example.com/*", zoneId: defaultZoneId(emu.accountId, "example.com") }],
    };
    const checked = await dispatcher.check({}, dispatcherInputs);
    expect(checked.failures).toBeUndefined();
    await dispatcher.create(checked.inputs as WorkerScriptInputs);
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(site, { recursive: true, force: true });
  });

  describe("the dispatcher's own assets", () => {
    it("are served before it runs, with html_handling, and its _headers", async () => {
      expect(await get("/")).toMatchObject({
        status: 200,
        text: "<h1>Platform</h1>\n",
        headers: { "content-type": "text/html", "x-platform": "yes" },
      });
      expect(await get("/docs")).toMatchObject({ status: 200, text: "<h1>Docs</h1>\n" });
      expect(await get("/docs.html")).toMatchObject({ status: 307, headers: { location: "/docs" } });
    });

    it("leave a path no file answers, and run_worker_first paths, to the dispatcher", async () => {
      expect(await get("/nothing")).toMatchObject({ status: 200, text: "dispatcher /nothing" });
      expect((await get("/nothing")).headers["x-platform"]).toBeUndefined(); // _headers never touch the Worker's responses
    });
  });

  describe("_redirects and _headers", () => {
    it("redirect with the rule's code, a splat filled in, the request's query kept", async () => {
      expect(await get("/old?ref=mail")).toMatchObject({ status: 301, headers: { location: "/docs?ref=mail" } });
      expect(await get("/go/a/b")).toMatchObject({ status: 302, headers: { location: "https://example.org/a/b" } });
    });

    it("proxy a 200 rule: the destination's file under the requested URL", async () => {
      expect(await get("/alias")).toMatchObject({ status: 200, text: "<h1>Docs</h1>\n", headers: { "x-platform": "yes" } });
    });

    it("detach a header with '! Name'", async () => {
      const res = await get("/secret.txt");
      expect(res).toMatchObject({ status: 200, text: "plain\n" });
      expect(res.headers["content-type"]).toBeUndefined();
    });

    it("apply a tenant's own rules to its responses through the dispatcher", async () => {
      expect(await get("/t/")).toMatchObject({ status: 200, text: "<h1>Home</h1>\n", headers: { "x-frame-options": "DENY" } });
      expect(await get("/t/legacy")).toMatchObject({ status: 308, headers: { location: "/about" } });
    });
  });

  describe("the assets binding", () => {
    it("lets the dispatcher fetch its own assets, answering 404 where no file is (no Worker to fall through to)", async () => {
      expect(await get("/binding/docs")).toMatchObject({ text: "via binding: 200 <h1>Docs</h1>\n", headers: { "x-platform": "yes" } });
      expect(await get("/binding/missing")).toMatchObject({ text: "via binding: 404 " });
    });

    it("lets a tenant fetch its own assets, given a URL string", async () => {
      expect(await get("/t/from-binding")).toMatchObject({ status: 200, text: "<h1>About</h1>\n" });
    });
  });
});
