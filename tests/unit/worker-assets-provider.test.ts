/**
 * Static assets through the script provider, against the emulator: preview reads the directory
 * into a manifest hash and refuses what Cloudflare would; `up` sends only the files Cloudflare asks
 * for, and an unchanged directory costs no asset request at all.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { MAX_ASSET_FILE_BYTES, assetHash } from "../../provider/workers/assets";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import { workerScriptResource } from "../../provider/resources/worker-script";
import type {
  NamespacedWorkerScriptInputs as Inputs,
  NamespacedWorkerScriptOutputs as Outputs,
} from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
let site: string;
const NS = "tenants";
const HELLO = 'export default { fetch() { return new Response("from the worker") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const tenant = namespacedWorkerScriptResource(context);
const dispatcher = workerScriptResource(context);
beforeEach(async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  site = fs.mkdtempSync(path.join(os.tmpdir(), "assets-"));
  fs.cpSync(path.join(__dirname, "../fixtures/site"), site, { recursive: true });
  emu.requests.clear();
});
afterEach(() => fs.rmSync(site, { recursive: true, force: true }));

const assetRequests = () => emu.requests.filter({ path: /assets-upload-session$|\/workers\/assets\/upload$/ });
const bucketUploads = () => emu.requests.filter({ method: "POST", path: /\/workers\/assets\/upload$/ });
const storedFiles = () => Object.keys(emu.state.account(emu.accountId)!.assets.blobs);

function inputs(extra: Partial<Inputs> = {}): Inputs {
  return {
    namespace: NS,
    scriptName: "site",
    content: HELLO,
    assets: { directory: site, config: { notFoundHandling: "404-page" } },
    ...extra,
  };
}

async function checked(extra: Partial<Inputs> = {}): Promise<Inputs> {
  const result = await tenant.check({}, inputs(extra));
  expect(result.failures).toBeUndefined();
  return result.inputs as Inputs;
}

async function deployed(): Promise<Outputs> {
  const { outs } = await tenant.create(await checked());
  emu.requests.clear();
  return outs as Outputs;
}

describe("the file hash", () => {
  it("is wrangler's: BLAKE3 of the base64 content followed by the extension, hex, 32 characters", () => {
    // BLAKE3 of the empty input is the published test vector af1349b9f5f9a1a6a0404dea36dcc949…
    expect(assetHash(new Uint8Array(), "empty")).toBe("af1349b9f5f9a1a6a0404dea36dcc949");
    expect(assetHash(Buffer.from("hi"), "a.txt")).toMatch(/^[0-9a-f]{32}$/);
    expect(assetHash(Buffer.from("hi"), "a.txt")).toBe(assetHash(Buffer.from("hi"), "b.txt")); // the name counts only by its extension
    expect(assetHash(Buffer.from("hi"), "a.txt")).not.toBe(assetHash(Buffer.from("hi"), "a.html"));
  });
});

describe("preview (check)", () => {
  it("puts the manifest hash, not the files, in the inputs; a changed file changes it", async () => {
    const before = await checked();
    expect(before.assetsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(before)).not.toContain("<h1>");
    fs.writeFileSync(path.join(site, "about.html"), "<h1>About us</h1>\n");
    expect((await checked()).assetsHash).not.toBe(before.assetsHash);
  });

  it("names assets.directory when it does not exist", async () => {
    const result = await tenant.check({}, inputs({ assets: { directory: path.join(site, "missing") } }));
    expect(result.failures).toEqual([
      { property: "assets", reason: expect.stringMatching(/^assets\.directory '.*missing' is not a directory/) },
    ]);
  });

  it("refuses a file over Cloudflare's 25 MiB limit, naming the file and the limit", async () => {
    fs.writeFileSync(path.join(site, "big.bin"), Buffer.alloc(MAX_ASSET_FILE_BYTES + 1));
    const result = await tenant.check({}, inputs());
    expect(result.failures).toEqual([
      { property: "assets", reason: expect.stringMatching(/assets\.directory .*'big\.bin' is \d+ bytes; .*25 MiB/) },
    ]);
  });

  it("refuses a config value Cloudflare does not know", async () => {
    const result = await tenant.check({}, inputs({ assets: { directory: site, config: { htmlHandling: "sometimes" as never } } }));
    expect(result.failures).toEqual([{ property: "assets", reason: expect.stringContaining("assets.config.htmlHandling must be one of") }]);
  });

  it("says which files the up changes, from the compact manifest the previous inputs keep", async () => {
    const first = await checked();
    expect(first.assetsChanges).toBe("3 files to upload");
    expect(first.assetsManifest).not.toContain("<h1>");
    fs.writeFileSync(path.join(site, "about.html"), "<h1>About us</h1>\n");
    const next = await tenant.check(first, inputs());
    expect((next.inputs as Inputs).assetsChanges).toBe("1 of 3 files changed: /about.html");
    expect((await tenant.check(next.inputs as Inputs, inputs())).inputs).toMatchObject({ assetsChanges: "no changes to 3 files" });
  });

  it("does not claim every file uploads for assets deployed before state kept a manifest", async () => {
    const { assetsManifest: _m, ...older } = await checked();
    const result = await tenant.check(older, inputs());
    expect(result.inputs).toMatchObject({ assetsChanges: "3 files, compared at up (state keeps no earlier manifest)" });
  });

  it("keeps the manifest and the summary in state, and drops them with the assets", async () => {
    const outs = await deployed();
    expect(outs).toMatchObject({ assetsManifest: expect.stringMatching(/^v1:/), assetsChanges: "3 files to upload" });
    const { assets: _a, assetsHash: _h, assetsManifest: _m, assetsChanges: _c, ...withoutAssets } = await checked();
    const { outs: updated } = await tenant.update("id", outs, withoutAssets);
    expect(updated).not.toHaveProperty("assetsManifest");
    expect(updated).not.toHaveProperty("assetsChanges");
  });

  it("says the files are unknown until up while the directory is, whatever the previous manifest", async () => {
    const previous = await checked();
    const result = await tenant.check(previous, inputs({ assets: { directory: UNKNOWN } }));
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ assetsChanges: "files unknown until up" });
    expect(result.inputs).not.toHaveProperty("assetsManifest");
  });

  it("leaves the hash unknown while the directory is, and diff then plans an upload", async () => {
    const news = await checked({ assets: { directory: UNKNOWN } });
    expect(news.assetsHash).toBeUndefined();
    const outs = await deployed();
    expect((await tenant.diff("id", outs, news)).changes).toBe(true);
  });
});

describe("up", () => {
  it("creates: one upload session, every file uploaded, the completion token redeemed by the script upload", async () => {
    const outs = await tenant.create(await checked());
    expect(assetRequests().map((r) => r.method)).toEqual(["POST", "POST"]);
    const session = emu.requests.filter({ path: /assets-upload-session$/ })[0];
    expect(Object.keys((session.body as { manifest: object }).manifest).sort()).toEqual(["/about.html", "/docs/index.html", "/index.html"]);
    const content = fs.readFileSync(path.join(site, "index.html"));
    expect(storedFiles()).toContain(assetHash(content, "index.html"));
    expect(emu.state.script(NS, "site")!.assets).toMatchObject({
      config: { not_found_handling: "404-page", _headers: "/*\n  X-Frame-Options: DENY\n" },
    });
    expect((outs.outs as Outputs).assetsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("an unchanged directory: diff sees no change, and a code change re-uploads with keep_assets and no asset request", async () => {
    const outs = await deployed();
    expect((await tenant.diff("id", outs, await checked())).changes).toBe(false);
    const news = await checked({ content: HELLO.replace("from the worker", "changed") });
    await tenant.update("id", outs, news);
    expect(assetRequests()).toEqual([]);
    expect(emu.state.script(NS, "site")!.metadata).toMatchObject({ keep_assets: true });
    expect(Object.keys(emu.state.script(NS, "site")!.assets!.manifest)).toHaveLength(3);
  });

  it("one changed file: one session and exactly that file uploaded", async () => {
    const outs = await deployed();
    const filesBefore = storedFiles();
    fs.writeFileSync(path.join(site, "about.html"), "<h1>About us</h1>\n");
    const news = await checked();
    expect((await tenant.diff("id", outs, news)).changes).toBe(true);
    await tenant.update("id", outs, news);
    expect(bucketUploads()).toHaveLength(1);
    expect(storedFiles().filter((h) => !filesBefore.includes(h))).toEqual([assetHash(Buffer.from("<h1>About us</h1>\n"), "about.html")]);
  });

  it("removing assets from the program uploads the script without them", async () => {
    const outs = await deployed();
    const { assets: _a, assetsHash: _h, ...withoutAssets } = await checked();
    const { outs: updated } = await tenant.update("id", outs, withoutAssets);
    expect(emu.state.script(NS, "site")!.assets).toBeUndefined();
    expect(updated).not.toHaveProperty("assetsHash");
  });

  it("a dispatcher's assets go through the account-level session", async () => {
    const news = (await dispatcher.check({}, { scriptName: "router", content: HELLO, assets: { directory: site } })).inputs;
    await dispatcher.create(news as never);
    expect(emu.requests.filter({ path: `/accounts/${emu.accountId}/workers/scripts/router/assets-upload-session` })).toHaveLength(1);
    expect(emu.state.accountScript("router")!.has_assets).toBe(true);
  });
});
