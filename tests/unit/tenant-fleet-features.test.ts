/**
 * A fleet tenant takes every input a NamespacedWorkerScript takes: static assets and Durable Object
 * migrations go through the same upload (provider/workers/upload.ts), with the same requests, and
 * preview names the files that change per tenant, as `assetsChanges` does for one script.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { tenantStatesOf } from "../../provider/fleet/states";
import { tenantFleetResource } from "../../provider/resources/tenant-fleet";
import type { TenantFleetInputs as Inputs, TenantFleetOutputs as Outputs } from "../../provider/resources/tenant-fleet";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
let sites: string;
const NS = "fleet-sites";
const SITE_WORKER = 'export default { fetch() { return new Response("from the worker") } }';
const COUNTER =
  'import { DurableObject } from "cloudflare:workers"; export class Counter extends DurableObject {} export class Tally extends DurableObject {} export default { fetch() { return new Response("ok") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const fleet = tenantFleetResource(context);
beforeEach(async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  sites = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-sites-"));
  emu.requests.clear();
});
afterEach(() => fs.rmSync(sites, { recursive: true, force: true }));

/** A site per tenant: the fixture's pages and _headers, each page saying which tenant it belongs to. */
function siteOf(tenant: string): string {
  const dir = path.join(sites, tenant);
  if (!fs.existsSync(dir)) {
    fs.cpSync(path.join(__dirname, "../fixtures/site"), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "index.html"), `<h1>${tenant}</h1>`);
  }
  return dir;
}

function siteFleet(tenants: string[]): Inputs {
  return {
    namespace: NS,
    defaults: { content: SITE_WORKER, compatibilityDate: "2025-01-01" },
    tenants: Object.fromEntries(
      tenants.map((t) => [t, { assets: { directory: siteOf(t), config: { htmlHandling: "auto-trailing-slash" } } }]),
    ),
  };
}

async function checked(news: Inputs, olds: Partial<Inputs> = {}): Promise<Inputs> {
  const result = await fleet.check(olds, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as Inputs;
}

const requests = () => emu.requests.filter().map((r) => `${r.method} ${r.path.replace(`/accounts/${emu.accountId}`, "")}`);
const sessions = () => requests().filter((r) => r.endsWith("/assets-upload-session"));
const buckets = () => requests().filter((r) => r.endsWith("/workers/assets/upload"));
const scriptUploads = () => requests().filter((r) => r.startsWith("PUT ") && /\/scripts\/[^/]+$/.test(r));

describe("a fleet of static sites", () => {
  it("uploads each tenant's files with its script, and one file edited in one tenant costs 3 requests", async () => {
    const tenants = ["site-a", "site-b", "site-c"];
    const first = await checked(siteFleet(tenants));
    expect(first.changes).toBe("3 to create: create site-a, site-b, site-c");
    const { outs } = await fleet.create(first);
    expect(sessions()).toHaveLength(3);
    expect(scriptUploads()).toHaveLength(3);
    for (const tenant of tenants) {
      expect(emu.state.script(NS, tenant)!.assets?.config).toMatchObject({ html_handling: "auto-trailing-slash" });
    }

    fs.writeFileSync(path.join(sites, "site-b", "about.html"), "<p>about site-b, edited</p>");
    emu.requests.clear();
    const next = await checked(siteFleet(tenants), first);
    expect(next.changes).toBe("1 to update, 2 unchanged: update site-b (assets: 1 of 3 files changed: /about.html)");
    expect(emu.requests.filter()).toEqual([]); // preview reads the directories, not Cloudflare (beyond the account check)
    const diff = await fleet.diff(NS, outs as Outputs, next);
    expect(diff.changes).toBe(true);
    const { outs: after } = await fleet.update(NS, outs as Outputs, next);
    expect(sessions()).toEqual([`POST /workers/dispatch/namespaces/${NS}/scripts/site-b/assets-upload-session`]);
    expect(buckets()).toHaveLength(1);
    expect(scriptUploads()).toEqual([`PUT /workers/dispatch/namespaces/${NS}/scripts/site-b`]);
    expect(requests()).toHaveLength(3);
    expect((await fleet.diff(NS, after as Outputs, await checked(siteFleet(tenants), next))).changes).toBe(false);
  });

  it("keeps a tenant's files without an asset request when only its code changes", async () => {
    const first = await checked(siteFleet(["site-a"]));
    const { outs } = await fleet.create(first);
    expect(tenantStatesOf((outs as Outputs).scripts)["site-a"].assetsHash).toMatch(/^[0-9a-f]{64}$/);
    const recoded = siteFleet(["site-a"]);
    recoded.defaults = { content: SITE_WORKER.replace("from the worker", "from the new worker"), compatibilityDate: "2025-01-01" };
    const next = await checked(recoded, first);
    expect(next.changes).toBe("1 to update: update site-a (content)");
    emu.requests.clear();
    await fleet.update(NS, outs as Outputs, next);
    expect(sessions()).toEqual([]);
    expect(scriptUploads()).toHaveLength(1);
    expect(emu.state.script(NS, "site-a")!.assets).toBeDefined();
  });
});

describe("a fleet tenant with Durable Object migrations", () => {
  const counterFleet = (migrations: object): Inputs => ({
    namespace: NS,
    defaults: { content: COUNTER, compatibilityDate: "2025-01-01" },
    tenants: { counter: { migrations }, plain: {} },
  });

  it("sends them with the first upload, not again with a later one, and a renaming step once", async () => {
    const v1 = await checked(counterFleet({ newTag: "v1", newSqliteClasses: ["Counter"] }));
    const { outs } = await fleet.create(v1);
    expect(tenantStatesOf((outs as Outputs).scripts).counter.migrationTag).toBe("v1");
    expect(emu.state.script(NS, "counter")!.migration_tag).toBe("v1");

    const v2 = await checked(counterFleet({ oldTag: "v1", newTag: "v2", renamedClasses: [{ from: "Counter", to: "Tally" }] }), v1);
    expect(v2.changes).toBe("1 to update, 1 unchanged: update counter (migrations)");
    emu.requests.clear();
    const { outs: after } = await fleet.update(NS, outs as Outputs, v2);
    expect(emu.requests.writes()).toHaveLength(1);
    expect(emu.state.script(NS, "counter")!.migration_tag).toBe("v2");
    expect(tenantStatesOf((after as Outputs).scripts).counter.migrationTag).toBe("v2");
  });
});
