/**
 * A tenant's static assets served at the emulator's edge: deployed by the provider (session, bucket
 * upload, completion token), then fetched through a dispatcher; files first, html_handling's
 * canonical paths, run_worker_first and anything unmatched reaching the tenant's Worker.
 */
import * as path from "node:path";
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { ProviderContext } from "../../provider/context";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type { NamespacedWorkerScriptInputs } from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";

const DISPATCHER = `export default { fetch(request, env) { return env.TENANTS.get("site").fetch(request); } };`;
const TENANT = `export default { fetch(request) { return new Response("worker " + new URL(request.url).pathname); } };`;

jest.setTimeout(120_000);

describe("a tenant's static assets at the edge", () => {
  let emu: Emulator;
  let cf: Cloudflare;
  const get = (p: string) => edgeRequest(emu.edge!, "site.platform.example.com", p);

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    const context = new ProviderContext({ env: emu.env });
    const tenant = namespacedWorkerScriptResource(context);
    cf = sdk(emu);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "tenants" });
    const body = workerForm(
      {
        main_module: "index.js",
        compatibility_date: "2025-01-01",
        bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }],
      },
      { "index.js": DISPATCHER },
    );
    await cf.put(`/accounts/${emu.accountId}/workers/scripts/dispatcher`, { body });
    await cf.workers.routes.create({
      zone_id: defaultZoneId(emu.accountId, "example.com"),
      pattern: "*.platform.example.com/*",
      script: "dispatcher",
    });
    const inputs: NamespacedWorkerScriptInputs = {
      namespace: "tenants",
      scriptName: "site",
      content: TENANT,
      compatibilityDate: "2025-01-01",
      assets: { directory: path.join(__dirname, "../fixtures/site"), config: { runWorkerFirst: ["/docs/private/*"] } },
    };
    const checked = await tenant.check({}, inputs);
    await tenant.create(checked.inputs as NamespacedWorkerScriptInputs);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("serves a file with the Content-Type it was uploaded with, without running the Worker", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("<h1>Home</h1>\n");
    expect(res.headers["content-type"]).toBe("text/html");
  });

  it("auto-trailing-slash: /about serves about.html, /about.html and /docs redirect to the canonical path", async () => {
    expect((await get("/about")).text).toBe("<h1>About</h1>\n");
    expect(await get("/about.html")).toMatchObject({ status: 307, headers: { location: "/about" } });
    expect(await get("/docs")).toMatchObject({ status: 307, headers: { location: "/docs/" } });
    expect((await get("/docs/")).text).toBe("<h1>Guide</h1>\n");
  });

  it("falls through to the Worker for a path no file answers, and for run_worker_first paths", async () => {
    expect(await get("/api/users")).toMatchObject({ status: 200, text: "worker /api/users" });
    expect(await get("/docs/private/x")).toMatchObject({ status: 200, text: "worker /docs/private/x" });
  });

  it("does not serve the _headers file as an asset", async () => {
    expect(await get("/_headers")).toMatchObject({ text: "worker /_headers" });
  });
});
