/**
 * One account, two tools: a Pulumi stack (the real engine) owns a dispatch namespace and its tenants,
 * wrangler owns the dispatcher in front of them and one more tenant. Each sees and changes only its
 * own part, and requests through the edge cross both.
 */
import * as path from "node:path";
import { edgeRequest } from "../../emulator/edge-client";
import { EmulatorProcess } from "../acceptance/harness/emulator-process";
import { repoRoot } from "../engine/harness/paths";
import { TestStack } from "../engine/harness/test-stack";
import { WranglerHome } from "./harness/wrangler";

jest.setTimeout(400_000);

let emulator: EmulatorProcess;
let home: WranglerHome;
let stack: TestStack;

beforeAll(async () => {
  emulator = await EmulatorProcess.spawn(process.execPath, [
    path.join(repoRoot, "dist", "emulator", "cli.js"),
    "--port",
    "0",
    "--edge-port",
    "0",
  ]);
  home = new WranglerHome(emulator);
  const { CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID } = emulator.env;
  stack = await TestStack.create({
    program: "fleet",
    env: { CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID },
    config: { namespace: "fleet", tenants: "2" },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emulator?.stop();
  home?.dispose();
});

const edge = (urlPath: string) => edgeRequest({ port: Number(new URL(emulator.env.EDGE_URL).port) }, "apps.example.com", urlPath);
const namespaceScripts = async () =>
  Object.keys((await emulator.account()).dispatchNamespaces.find((n) => n.namespace_name === "fleet")?.scripts ?? {}).sort();

const DISPATCHER = `export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    try {
      return await env.FLEET.get(name).fetch(request);
    } catch (e) {
      return new Response("no tenant " + name, { status: 404 });
    }
  },
};
`;

it("Pulumi's tenants answer through wrangler's dispatcher, and neither tool touches the other's Workers", async () => {
  expect((await stack.up()).summary.result).toBe("succeeded");
  expect(await namespaceScripts()).toEqual(["tenant-000", "tenant-001"]);

  const router = home.project("router", {
    "index.js": DISPATCHER,
    "wrangler.toml": [
      'name = "router"',
      'main = "index.js"',
      'compatibility_date = "2025-01-01"',
      "workers_dev = false",
      'routes = [{ pattern = "apps.example.com/*", zone_name = "example.com" }]',
      "[[dispatch_namespaces]]",
      'binding = "FLEET"',
      'namespace = "fleet"',
    ].join("\n"),
  });
  const extra = home.project("extra", {
    "index.js": `export default { fetch: () => new Response("hello from wrangler's tenant") };\n`,
    "wrangler.toml": ['name = "from-wrangler"', 'main = "index.js"', 'compatibility_date = "2025-01-01"'].join("\n"),
  });
  await home.calls(["deploy"], { cwd: router });
  await home.calls(["deploy", "--dispatch-namespace", "fleet"], { cwd: extra });

  expect(await edge("/tenant-000")).toMatchObject({ status: 200, text: "hello from tenant-000" });
  expect(await edge("/from-wrangler")).toMatchObject({ status: 200, text: "hello from wrangler's tenant" });

  // Pulumi sees nothing to change: wrangler's Workers are not part of its state.
  await emulator.clearRequests();
  const preview = await stack.preview();
  expect(preview.changeSummary).toEqual({ same: 4 });
  expect(await emulator.writes()).toEqual([]);

  // Scaling the fleet down removes only Pulumi's tenant.
  await stack.setConfig({ tenants: "1" });
  expect((await stack.up()).summary.resourceChanges).toMatchObject({ delete: 1 });
  expect(await namespaceScripts()).toEqual(["from-wrangler", "tenant-000"]);
  expect(await edge("/tenant-001")).toMatchObject({ status: 404, text: "no tenant tenant-001" });
  expect(await edge("/from-wrangler")).toMatchObject({ status: 200 });

  // wrangler's redeploy of the dispatcher leaves Pulumi's resources as they are.
  await home.calls(["deploy"], { cwd: router });
  expect((await stack.preview()).changeSummary).toEqual({ same: 3 });

  // Destroying the stack deletes its namespace (and every Worker in it); wrangler's dispatcher stays.
  await stack.destroy();
  expect((await emulator.account()).dispatchNamespaces).toEqual([]);
  expect(Object.keys((await emulator.account()).scripts)).toEqual(["router"]);
  expect(await edge("/tenant-000")).toMatchObject({ status: 404 });
});
