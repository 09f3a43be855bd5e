/**
 * wrangler, Cloudflare's own CLI, against the emulator started as a process: each command succeeds,
 * makes exactly the API calls listed (the table in tests/wrangler/README.md), and what it deploys
 * answers through the local edge. The tests run in order, as one account's story.
 */
import * as path from "node:path";
import { edgeRequest } from "../../emulator/edge-client";
import { EmulatorProcess } from "../acceptance/harness/emulator-process";
import { repoRoot } from "../engine/harness/paths";
import { WranglerHome } from "./harness/wrangler";

jest.setTimeout(120_000);

let emulator: EmulatorProcess;
let home: WranglerHome;

beforeAll(async () => {
  emulator = await EmulatorProcess.spawn(process.execPath, [
    path.join(repoRoot, "dist", "emulator", "cli.js"),
    "--port",
    "0",
    "--edge-port",
    "0",
  ]);
  home = new WranglerHome(emulator);
});
afterAll(async () => {
  await emulator?.stop();
  home?.dispose();
});

const edge = (host: string, urlPath: string) => edgeRequest({ port: Number(new URL(emulator.env.EDGE_URL).port) }, host, urlPath);
const account = () => emulator.account();

const toml = (lines: string[]) => `${lines.join("\n")}\n`;
const ESM_TENANT = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/out")) return fetch("https://api.example.org/data");
    return new Response("esm tenant says " + env.GREETING);
  },
};
`;
const SW_TENANT = `addEventListener("fetch", (event) => event.respondWith(new Response("service-worker tenant")));\n`;
// The outbound Worker does not read its `tenant` parameter: the local runtime does not pass outbound params (runtime/README.md).
const OUTBOUND = `export default {
  async fetch(request) {
    return new Response("outbound caught " + new URL(request.url).hostname);
  },
};
`;
const dispatcher = (version: string) => `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/secret") return new Response(env.API_KEY ?? "no secret");
    const name = url.pathname.split("/")[1];
    const answer = await env.TENANTS.get(name, {}, { outbound: { tenant: name } }).fetch(request);
    return new Response(${JSON.stringify(version)} + ": " + (await answer.text()), answer);
  },
};
`;

describe("dispatch-namespace commands", () => {
  it("create, list, get, rename and delete a namespace", async () => {
    const created = await home.calls(["dispatch-namespace", "create", "scratch"]);
    expect(created.calls).toEqual(["POST /accounts/:a/workers/dispatch/namespaces 200"]);
    const { namespace_id } = (await account()).dispatchNamespaces[0];
    expect(created.output).toContain(namespace_id);

    const listed = await home.calls(["dispatch-namespace", "list"]);
    expect(listed.calls).toEqual(["GET /accounts/:a/workers/dispatch/namespaces 200"]);
    expect(listed.output).toContain("scratch");

    const got = await home.calls(["dispatch-namespace", "get", "scratch"]);
    expect(got.calls).toEqual(["GET /accounts/:a/workers/dispatch/namespaces/scratch 200"]);
    expect(got.output).toContain(namespace_id);

    const renamed = await home.calls(["dispatch-namespace", "rename", "scratch", "scratch-2"]);
    expect(renamed.calls).toEqual(["PUT /accounts/:a/workers/dispatch/namespaces/scratch 200"]);
    expect((await account()).dispatchNamespaces.map((n) => [n.namespace_name, n.namespace_id])).toEqual([["scratch-2", namespace_id]]);

    const deleted = await home.calls(["dispatch-namespace", "delete", "scratch-2"]);
    expect(deleted.calls).toEqual(["DELETE /accounts/:a/workers/dispatch/namespaces/scratch-2 200"]);
    expect((await account()).dispatchNamespaces).toEqual([]);
  });
});

describe("a Workers for Platforms setup deployed with wrangler", () => {
  let esm: string;
  let sw: string;
  let outbound: string;
  let router: string;

  beforeAll(async () => {
    await home.calls(["dispatch-namespace", "create", "tenants"]);
    esm = home.project("tenant-esm", {
      "index.js": ESM_TENANT,
      "wrangler.toml": toml([
        'name = "tenant-esm"',
        'main = "index.js"',
        'compatibility_date = "2025-01-01"',
        "[vars]",
        'GREETING = "hello"',
      ]),
    });
    sw = home.project("tenant-sw", {
      "index.js": SW_TENANT,
      "wrangler.toml": toml(['name = "tenant-sw"', 'main = "index.js"', 'compatibility_date = "2025-01-01"']),
    });
    outbound = home.project("outbound", {
      "index.js": OUTBOUND,
      "wrangler.toml": toml(['name = "outbound"', 'main = "index.js"', 'compatibility_date = "2025-01-01"', "workers_dev = false"]),
    });
    router = home.project("router", {
      "index.js": dispatcher("v1"),
      "wrangler.toml": toml([
        'name = "router"',
        'main = "index.js"',
        'compatibility_date = "2025-01-01"',
        "workers_dev = false",
        'routes = [{ pattern = "platform.example.com/*", zone_name = "example.com" }]',
        "[[dispatch_namespaces]]",
        'binding = "TENANTS"',
        'namespace = "tenants"',
        'outbound = { service = "outbound", parameters = ["tenant"] }',
      ]),
    });
  });

  it("deploy --dispatch-namespace uploads an ES-module tenant and a service-worker tenant into the namespace", async () => {
    const first = await home.calls(["deploy", "--dispatch-namespace", "tenants"], { cwd: esm });
    expect(first.calls).toEqual([
      "GET /accounts/:a/workers/dispatch/namespaces/tenants/scripts/tenant-esm 404",
      "GET /accounts/:a/workers/scripts/tenant-esm/secrets 404",
      "GET /accounts/:a/workers/scripts/tenant-esm/settings 404",
      "PUT /accounts/:a/workers/dispatch/namespaces/tenants/scripts/tenant-esm 200",
    ]);
    const second = await home.calls(["deploy", "--dispatch-namespace", "tenants"], { cwd: sw });
    expect(second.calls).toEqual([
      "GET /accounts/:a/workers/dispatch/namespaces/tenants/scripts/tenant-sw 404",
      "GET /accounts/:a/workers/scripts/tenant-sw/settings 404",
      "PUT /accounts/:a/workers/dispatch/namespaces/tenants/scripts/tenant-sw 200",
    ]);
    const scripts = (await account()).dispatchNamespaces[0].scripts;
    expect([scripts["tenant-esm"].has_modules, scripts["tenant-sw"].has_modules]).toEqual([true, false]);
    expect(scripts["tenant-esm"].bindings).toEqual([{ name: "GREETING", type: "plain_text", text: "hello" }]);
  });

  it("deploy of the outbound Worker and of the dispatcher, with its namespace binding and a route", async () => {
    const deployedOutbound = await home.calls(["deploy"], { cwd: outbound });
    expect(deployedOutbound.calls).toEqual([
      "GET /accounts/:a/workers/services/outbound 404",
      "GET /accounts/:a/workers/scripts/outbound/deployments 404",
      "GET /accounts/:a/workers/scripts/outbound/settings 404",
      "PUT /accounts/:a/workers/scripts/outbound 200",
      "GET /accounts/:a/workers/workers/outbound 200",
      "POST /accounts/:a/workers/scripts/outbound/subdomain 200",
    ]);
    const deployed = await home.calls(["deploy"], { cwd: router });
    expect(deployed.calls).toEqual([
      "GET /accounts/:a/workers/services/router 404",
      "GET /accounts/:a/workers/scripts/router/secrets 404",
      "GET /accounts/:a/workers/scripts/router/deployments 404",
      "GET /accounts/:a/workers/scripts/router/settings 404",
      "GET /accounts/:a/workers/dispatch/namespaces 200",
      "PUT /accounts/:a/workers/scripts/router 200",
      "GET /accounts/:a/workers/workers/router 200",
      "POST /accounts/:a/workers/scripts/router/subdomain 200",
      "GET /zones 200",
      "GET /zones/:z/workers/routes 200",
      "PUT /accounts/:a/workers/scripts/router/routes 200",
    ]);
    const state = await account();
    expect(state.scripts.router.bindings).toEqual([
      {
        name: "TENANTS",
        type: "dispatch_namespace",
        namespace: "tenants",
        outbound: { worker: { service: "outbound" }, params: [{ name: "tenant" }] },
      },
    ]);
    expect(state.zones.flatMap((z) => z.routes.map((r) => [r.pattern, r.script]))).toEqual([["platform.example.com/*", "router"]]);
    const [deployment] = state.scriptHistory.router.deployments;
    expect(deployed.output).toContain(`Current Version ID: ${deployment.versions[0].version_id}`);
  });

  it("requests through the edge reach both tenants through the dispatcher, and a tenant's subrequest its outbound Worker", async () => {
    expect(await edge("platform.example.com", "/tenant-esm")).toMatchObject({ status: 200, text: "v1: esm tenant says hello" });
    expect(await edge("platform.example.com", "/tenant-sw")).toMatchObject({ status: 200, text: "v1: service-worker tenant" });
    expect(await edge("platform.example.com", "/tenant-esm/out")).toMatchObject({
      status: 200,
      text: "v1: outbound caught api.example.org",
    });
  });

  it("a redeploy goes through a version upload and a deployment, and the edge runs the new code", async () => {
    home.project("router", { "index.js": dispatcher("v2") });
    const redeployed = await home.calls(["deploy"], { cwd: router });
    expect(redeployed.calls).toEqual([
      "GET /accounts/:a/workers/services/router 200",
      "GET /accounts/:a/workers/scripts/router/secrets 200",
      "GET /accounts/:a/workers/scripts/router/deployments 200",
      "GET /accounts/:a/workers/scripts/router/settings 200",
      "GET /accounts/:a/workers/dispatch/namespaces 200",
      "POST /accounts/:a/workers/scripts/router/versions 200",
      "POST /accounts/:a/workers/scripts/router/deployments 200",
      "PATCH /accounts/:a/workers/scripts/router/script-settings 200",
      "GET /accounts/:a/workers/workers/router 200",
      "POST /accounts/:a/workers/scripts/router/subdomain 200",
      "GET /zones 200",
      "GET /zones/:z/workers/routes 200",
      "PUT /accounts/:a/workers/scripts/router/routes 200",
    ]);
    expect(await edge("platform.example.com", "/tenant-esm")).toMatchObject({ status: 200, text: "v2: esm tenant says hello" });
  });

  it("secret put deploys the dispatcher with the secret", async () => {
    expect((await edge("platform.example.com", "/secret")).text).toBe("no secret");
    const put = await home.calls(["secret", "put", "API_KEY"], { cwd: router, input: "s3cret-value\n" });
    expect(put.calls).toEqual(["PUT /accounts/:a/workers/scripts/router/secrets 200"]);
    expect((await edge("platform.example.com", "/secret")).text).toBe("s3cret-value");
  });

  it("deployments list reads back, newest first, one deployment per upload, redeploy and secret change", async () => {
    const listed = await home.calls(["deployments", "list", "--json"], { cwd: router });
    expect(listed.calls).toEqual(["GET /accounts/:a/workers/scripts/router/deployments 200"]);
    const shown = JSON.parse(listed.output.slice(listed.output.indexOf("["))) as Array<{ versions: Array<{ version_id: string }> }>;
    const history = (await account()).scriptHistory.router;
    expect(shown.map((d) => d.versions[0].version_id)).toEqual(history.versions.map((v) => v.id));
    expect(history.versions.map((v) => v.annotations["workers/triggered_by"])).toEqual(["upload", "upload", "secret"]);
  });

  it("kv namespace and kv key commands", async () => {
    const created = await home.calls(["kv", "namespace", "create", "SESSIONS"], { cwd: router });
    expect(created.calls).toEqual(["POST /accounts/:a/storage/kv/namespaces 200"]);
    const [{ id }] = (await account()).kvNamespaces;
    expect(created.output).toContain(id);

    const listed = await home.calls(["kv", "namespace", "list"], { cwd: router });
    expect(listed.calls).toEqual(["GET /accounts/:a/storage/kv/namespaces 200", "GET /accounts/:a/storage/kv/namespaces 200"]);
    expect(listed.output).toContain(id);

    const keyPath = `/accounts/:a/storage/kv/namespaces/${id}`;
    expect(
      (await home.calls(["kv", "key", "put", "--namespace-id", id, "greeting", "hi there", "--remote"], { cwd: router })).calls,
    ).toEqual([`PUT ${keyPath}/values/greeting 200`]);
    const got = await home.calls(["kv", "key", "get", "--namespace-id", id, "greeting", "--remote"], { cwd: router });
    expect([got.calls, got.output]).toEqual([[`GET ${keyPath}/values/greeting 200`], expect.stringContaining("hi there")]);
    const keys = await home.calls(["kv", "key", "list", "--namespace-id", id, "--remote"], { cwd: router });
    expect([keys.calls, JSON.parse(keys.output.slice(keys.output.indexOf("[")))]).toEqual([
      [`GET ${keyPath}/keys 200`],
      [{ name: "greeting" }],
    ]);
    expect((await home.calls(["kv", "key", "delete", "--namespace-id", id, "greeting", "--remote"], { cwd: router })).calls).toEqual([
      `DELETE ${keyPath}/values/greeting 200`,
    ]);
    expect((await home.calls(["kv", "namespace", "delete", "--namespace-id", id], { cwd: router })).calls).toEqual([
      `DELETE ${keyPath} 200`,
    ]);
    expect((await account()).kvNamespaces).toEqual([]);
  });

  it("delete of the outbound Worker names the dispatcher depending on it; delete of the dispatcher stops the edge serving it", async () => {
    const deletedOutbound = await home.calls(["delete"], { cwd: outbound });
    expect(deletedOutbound.calls).toEqual([
      "GET /accounts/:a/workers/scripts/outbound/references 200",
      "GET /accounts/:a/workers/tails/by-consumer/outbound 200",
      "GET /accounts/:a/workers/durable_objects/namespaces 404",
      "DELETE /accounts/:a/workers/services/outbound 200",
      "GET /accounts/:a/storage/kv/namespaces 200",
    ]);
    expect(deletedOutbound.output).toContain('uses this Worker as an Outbound Worker for the Dynamic Dispatch Namespace "tenants"');
    const deleted = await home.calls(["delete"], { cwd: router });
    expect(deleted.calls).toEqual([
      "GET /accounts/:a/workers/scripts/router/references 200",
      "GET /accounts/:a/workers/tails/by-consumer/router 200",
      "GET /accounts/:a/workers/durable_objects/namespaces 404",
      "DELETE /accounts/:a/workers/services/router 200",
      "GET /accounts/:a/storage/kv/namespaces 200",
    ]);
    expect(Object.keys((await account()).scripts)).toEqual([]);
    expect((await edge("platform.example.com", "/tenant-esm")).status).toBe(404);
  });
});
