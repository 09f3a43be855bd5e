/**
 * The account-level WorkerScript (routes, workers.dev) and KVNamespace providers, called directly
 * against the emulator: what each step sends, and how they recover from what Cloudflare already has.
 */
import { type Emulator, defaultZoneId } from "../../emulator";
import { kvNamespaceResource } from "../../provider/resources/kv-namespace";
import type { KVNamespaceOutputs } from "../../provider/resources/kv-namespace";
import { workerScriptResource } from "../../provider/resources/worker-script";
import type { WorkerScriptInputs, WorkerScriptOutputs } from "../../provider/resources/worker-script";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const ROUTER = 'export default { fetch() { return new Response("router") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const kv = kvNamespaceResource(context);
const worker = workerScriptResource(context);

const writes = () => emu.requests.writes().map((w) => `${w.method} ${w.path}`);
const zone = () => defaultZoneId(emu.accountId, "example.com");
/** A version upload (POST …/versions), which Cloudflare keeps without deploying it. */
const versionForm = () =>
  workerForm(
    { main_module: "index.js", compatibility_date: "2025-01-01" },
    { "index.js": 'export default { fetch() { return new Response("next") } }' },
  );

async function createRouter(extra: Partial<WorkerScriptInputs> = {}): Promise<{ news: WorkerScriptInputs; outs: WorkerScriptOutputs }> {
  const checked = await worker.check({}, { scriptName: "platform-router", content: ROUTER, ...extra });
  expect(checked.failures).toBeUndefined();
  const news = checked.inputs as WorkerScriptInputs;
  const { outs } = await worker.create(news);
  return { news, outs: outs as WorkerScriptOutputs };
}

describe("WorkerScript", () => {
  it("rotates a secret with the secret call alone, and uploads instead while a newer version waits undeployed", async () => {
    const secretBindings = { SIGNING_KEY: { type: "secret_text" as const, text: "one" } };
    const { outs } = await createRouter({ secretBindings });
    emu.requests.clear();
    const rotate = async (text: string) =>
      (
        await worker.check(
          {},
          { scriptName: "platform-router", content: ROUTER, secretBindings: { SIGNING_KEY: { type: "secret_text", text } } },
        )
      ).inputs as WorkerScriptInputs;
    const { outs: rotated } = await worker.update("id", outs, await rotate("two"));
    const secrets = `PUT /accounts/${emu.accountId}/workers/scripts/platform-router/secrets`;
    expect(writes()).toEqual([secrets]);

    // A version uploaded beside Pulumi and not deployed: Cloudflare takes no secret change (10215).
    await sdk(emu).post(`/accounts/${emu.accountId}/workers/scripts/platform-router/versions`, { body: versionForm() });
    emu.requests.clear();
    await worker.update("id", rotated as WorkerScriptOutputs, await rotate("three"));
    expect(writes()).toEqual([secrets, `PUT /accounts/${emu.accountId}/workers/scripts/platform-router`]);
    expect(emu.state.accountScript("platform-router")!.bindings).toEqual([expect.objectContaining({ name: "SIGNING_KEY", text: "three" })]);
  });

  it("uploads once, then creates its route in the zone found from the pattern's host", async () => {
    const { outs } = await createRouter({ routes: [{ pattern: "*.platform.example.com/*" }], workersDev: true });
    expect(writes()).toEqual([
      `PUT /accounts/${emu.accountId}/workers/scripts/platform-router`,
      `POST /zones/${zone()}/workers/routes`,
      `POST /accounts/${emu.accountId}/workers/scripts/platform-router/subdomain`,
    ]);
    expect(emu.state.routes().map((r) => [r.pattern, r.script])).toEqual([["*.platform.example.com/*", "platform-router"]]);
    expect(outs.routeIds).toEqual({ "*.platform.example.com/*": emu.state.routes()[0].id });
    expect(emu.state.scriptSubdomain("platform-router")).toMatchObject({ enabled: true });
  });

  it("refuses routes it cannot place, at check", async () => {
    const result = await worker.check(
      {},
      {
        scriptName: "r",
        content: ROUTER,
        routes: [{ pattern: "https://x.example.com/*" }, { pattern: "a.example.com/*", zoneId: "nope" }],
      },
    );
    expect(result.failures).toEqual([
      { property: "routes", reason: expect.stringContaining("routes[0].pattern must be a route pattern without a scheme") },
      { property: "routes", reason: expect.stringContaining("routes[1].zoneId must be a zone id") },
    ]);
  });

  it("reads routes from state an earlier version keyed by '<zoneId> <pattern>': keeps the one still wanted, deletes the other", async () => {
    const { news, outs } = await createRouter({ routes: [{ pattern: "a.example.com/*" }, { pattern: "b.example.com/*" }] });
    const ids = outs.routeIds!;
    const earlier = {
      ...outs,
      routeZoneIds: undefined,
      routeIds: { [`${zone()} a.example.com/*`]: ids["a.example.com/*"], [`${zone()} b.example.com/*`]: ids["b.example.com/*"] },
    };
    emu.requests.clear();
    const { outs: after } = await worker.update("id", earlier, { ...news, routes: [{ pattern: "a.example.com/*" }] });
    expect(writes()).toEqual([`DELETE /zones/${zone()}/workers/routes/${ids["b.example.com/*"]}`]);
    expect((after as WorkerScriptOutputs).routeIds).toEqual({ "a.example.com/*": ids["a.example.com/*"] });
  });

  it("refresh reads its routes and workers.dev from Cloudflare, and the next update restores what was changed outside Pulumi", async () => {
    const { news, outs } = await createRouter({
      routes: [{ pattern: "a.example.com/*" }, { pattern: "b.example.com/*" }],
      workersDev: true,
    });
    const cf = sdk(emu);
    await cf.workers.routes.delete(outs.routeIds!["b.example.com/*"], { zone_id: zone() });
    await cf.workers.scripts.subdomain.create("platform-router", { account_id: emu.accountId, enabled: false });
    emu.requests.clear();

    const read = await worker.read("platform-router", outs);
    expect(read.props).toMatchObject({
      routes: [{ pattern: "a.example.com/*" }],
      routeIds: { "a.example.com/*": outs.routeIds!["a.example.com/*"] },
      workersDev: false,
    });
    expect(emu.requests.writes()).toEqual([]);
    expect((await worker.diff("platform-router", read.props as WorkerScriptOutputs, news)).changes).toBe(true);

    await worker.update("platform-router", read.props as WorkerScriptOutputs, news);
    expect(
      emu.state
        .routes()
        .map((r) => r.pattern)
        .sort(),
    ).toEqual(["a.example.com/*", "b.example.com/*"]);
    expect(emu.state.scriptSubdomain("platform-router")).toMatchObject({ enabled: true });
  });

  it("refresh of unchanged routes reports them exactly as the program declared them", async () => {
    const { news, outs } = await createRouter({ routes: [{ pattern: "a.example.com/*" }, { pattern: "b.example.com/*", zoneId: zone() }] });
    const read = await worker.read("platform-router", outs);
    expect(read.props!.routes).toEqual(news.routes);
    expect((await worker.diff("platform-router", read.props as WorkerScriptOutputs, news)).changes).toBe(false);
  });

  it("changes only the routes when only the routes change, and deletes the old one", async () => {
    const { news, outs } = await createRouter({ routes: [{ pattern: "a.example.com/*" }] });
    emu.requests.clear();
    const next = { ...news, routes: [{ pattern: "b.example.com/*" }] };
    expect((await worker.diff("id", outs, next)).changes).toBe(true);
    const { outs: after } = await worker.update("id", outs, next);
    expect(writes()).toEqual([
      `DELETE /zones/${zone()}/workers/routes/${Object.values(outs.routeIds!)[0]}`,
      `POST /zones/${zone()}/workers/routes`,
    ]);
    expect(emu.state.routes().map((r) => r.pattern)).toEqual(["b.example.com/*"]);
    expect(Object.keys((after as WorkerScriptOutputs).routeIds!)).toEqual(["b.example.com/*"]);
  });

  it("takes over a route of the same pattern left by an interrupted run", async () => {
    await sdk(emu).workers.routes.create({ zone_id: zone(), pattern: "a.example.com/*", script: "someone-else" });
    await createRouter({ routes: [{ pattern: "a.example.com/*" }] });
    expect(emu.state.routes().map((r) => [r.pattern, r.script])).toEqual([["a.example.com/*", "platform-router"]]);
  });

  it("keeps an uploaded script in state when its route fails, so the next up retries the route", async () => {
    const checked = (
      await worker.check(
        {},
        { scriptName: "platform-router", content: ROUTER, routes: [{ pattern: "a.other-zone.test/*", zoneId: zone() }] },
      )
    ).inputs as WorkerScriptInputs;
    const failure = await worker.create(checked).catch((e) => e);
    expect(failure.message).toMatch(
      /creating the route 'a.other-zone.test\/\*' to worker script 'platform-router'.*check the routes input/,
    );
    expect(failure.id).toBe("platform-router"); // an initialization failure: the engine keeps the resource
    expect(failure.properties).toMatchObject({ scriptName: "platform-router", etag: expect.any(String) });
  });

  it("deletes its routes before the script, and is idempotent", async () => {
    const { outs } = await createRouter({ routes: [{ pattern: "a.example.com/*" }] });
    emu.requests.clear();
    await worker.remove("id", outs);
    expect(writes().map((w) => w.split(" ")[0] + " " + (w.includes("/routes/") ? "route" : "script"))).toEqual([
      "DELETE route",
      "DELETE script",
    ]);
    expect(emu.state.accountScripts()).toEqual([]);
    await expect(worker.remove("id", outs)).resolves.toBeUndefined();
  });

  it("refresh reads it from the account's script list", async () => {
    const { outs } = await createRouter();
    emu.requests.clear();
    const result = await worker.read("id", outs);
    expect(result.props).toMatchObject({ etag: outs.etag, scriptName: "platform-router" });
    expect(emu.requests.count()).toBe(1);
  });
});

describe("KVNamespace", () => {
  async function createKv(title = "Tenant Configuration", extra: object = {}): Promise<KVNamespaceOutputs> {
    const checked = await kv.check({}, { title, ...extra });
    expect(checked.failures).toBeUndefined();
    return (await kv.create(checked.inputs)).outs as KVNamespaceOutputs;
  }

  it("creates, renames in place keeping its id, and deletes idempotently", async () => {
    const outs = await createKv();
    expect(emu.state.kvNamespaces().map((n) => n.title)).toEqual(["Tenant Configuration"]);
    const renamed = (await kv.update("id", outs, { ...outs, title: "Tenants" })).outs as KVNamespaceOutputs;
    expect(renamed.namespaceId).toBe(outs.namespaceId);
    expect(emu.state.kvNamespaces().map((n) => n.title)).toEqual(["Tenants"]);
    await kv.remove("id", renamed);
    await expect(kv.remove("id", renamed)).resolves.toBeUndefined();
    expect(emu.state.kvNamespaces()).toEqual([]);
  });

  it("fails on a duplicate title with what to do, and adopts it when asked", async () => {
    const first = await createKv();
    await expect(createKv()).rejects.toThrow(/creating KV namespace 'Tenant Configuration'.*10014.*set adopt: true/);
    const adopted = await createKv("Tenant Configuration", { adopt: true });
    expect(adopted).toMatchObject({ namespaceId: first.namespaceId, adopted: true });
  });

  it("imports by id, and refresh drops one deleted outside Pulumi", async () => {
    const existing = await createKv("Legacy");
    const imported = await createKv("Legacy", { importFrom: existing.namespaceId });
    expect(imported.namespaceId).toBe(existing.namespaceId);
    await sdk(emu).kv.namespaces.delete(existing.namespaceId, { account_id: emu.accountId });
    expect(await kv.read("id", imported)).toEqual({});
  });

  it("requires a title, at check", async () => {
    expect((await kv.check({}, { title: "" })).failures).toEqual([
      { property: "title", reason: "title is required and must be a non-empty string" },
    ]);
  });
});
