/**
 * The asset upload flow: a session answers the hashes the account lacks; a bucket upload is
 * authenticated by the session's token alone and takes only the hashes asked for; the last bucket
 * answers the completion token, which a script upload redeems; `keep_assets` keeps the files.
 */
import type Cloudflare from "cloudflare";
import { MAX_ASSET_FILES, MAX_ASSET_FILE_BYTES, type Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { uploadModule, type Target } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
let t: Target;
const NS = "sites";
useEmulator((f) => ({ emu, cf, account_id } = f));
beforeEach(async () => {
  await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: NS });
  t = { cf, account_id, namespace: NS };
});

const FILES = { "/index.html": { hash: "a".repeat(32), content: "<h1>home</h1>" }, "/app.css": { hash: "b".repeat(32), content: "h1{}" } };
const manifest = Object.fromEntries(Object.entries(FILES).map(([p, f]) => [p, { hash: f.hash, size: f.content.length }]));

function openSession(m: Record<string, { hash: string; size: number }> = manifest) {
  return cf.workersForPlatforms.dispatch.namespaces.scripts.assetUpload.create("site", { account_id, dispatch_namespace: NS, manifest: m });
}

async function postBucket(token: string, files: Array<{ hash: string; content: string }>) {
  const form = new FormData();
  for (const f of files) form.append(f.hash, new Blob([Buffer.from(f.content).toString("base64")], { type: "text/html" }), f.hash);
  const res = await fetch(`${emu.url}/accounts/${account_id}/workers/assets/upload?base64=true`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return {
    status: res.status,
    body: (await res.json()) as { success: boolean; result: { jwt?: string } | null; errors: Array<{ code: number; message: string }> },
  };
}

describe("upload session", () => {
  it("asks for every hash the account lacks, and none once they are uploaded", async () => {
    const first = await openSession();
    expect(first.buckets!.flat().sort()).toEqual([FILES["/index.html"].hash, FILES["/app.css"].hash].sort());
    const done = await postBucket(first.jwt!, Object.values(FILES));
    expect(done.status).toBe(201);
    expect(done.body.result!.jwt).toEqual(expect.any(String));
    const again = await openSession();
    expect(again.buckets).toEqual([]);
  });

  it("refuses a manifest over the file count or a file over the size limit", async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ASSET_FILES + 1 }, (_, i) => [`/${i}.txt`, { hash: `${i}`, size: 1 }]));
    expect((await rejectionOf(() => openSession(many))).message).toContain(`at most ${MAX_ASSET_FILES}`);
    const big = { "/big.bin": { hash: "c".repeat(32), size: MAX_ASSET_FILE_BYTES + 1 } };
    expect((await rejectionOf(() => openSession(big))).message).toContain("25 MiB");
  }, 60_000); // a manifest of 100,001 entries is several MB of JSON

  it("needs the namespace of a namespaced script", async () => {
    const err = await rejectionOf(() =>
      cf.workersForPlatforms.dispatch.namespaces.scripts.assetUpload.create("site", { account_id, dispatch_namespace: "nope", manifest }),
    );
    expect(err.status).toBe(404);
  });
});

describe("bucket upload", () => {
  it("is authenticated by the session token only: an API token is refused", async () => {
    expect((await postBucket(emu.apiToken, Object.values(FILES))).status).toBe(403);
  });

  it("refuses a hash the session did not ask for", async () => {
    const session = await openSession();
    const answer = await postBucket(session.jwt!, [{ hash: "d".repeat(32), content: "x" }]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toContain("was not asked for");
  });

  it("answers 202 without a token until the last file arrives", async () => {
    const session = await openSession();
    expect((await postBucket(session.jwt!, [FILES["/index.html"]])).status).toBe(202);
    expect((await postBucket(session.jwt!, [FILES["/app.css"]])).status).toBe(201);
  });
});

describe("script upload", () => {
  async function completion(): Promise<string> {
    const session = await openSession();
    return (await postBucket(session.jwt!, Object.values(FILES))).body.result!.jwt!;
  }

  it("redeems the completion token: the script has the manifest and its config", async () => {
    const jwt = await completion();
    await expect(
      uploadModule(t, "site", { assets: { jwt, config: { html_handling: "none", not_found_handling: "404-page" } } }),
    ).resolves.toMatchObject({ has_assets: true });
    expect(emu.state.script(NS, "site")!.assets).toEqual({ manifest, config: { html_handling: "none", not_found_handling: "404-page" } });
  });

  it("keep_assets keeps the previous files; an upload with neither drops them", async () => {
    await uploadModule(t, "site", { assets: { jwt: await completion() } });
    await uploadModule(t, "site", { keep_assets: true, assets: { config: { not_found_handling: "single-page-application" } } });
    expect(emu.state.script(NS, "site")!.assets).toEqual({ manifest, config: { not_found_handling: "single-page-application" } });
    await uploadModule(t, "site", {});
    expect(emu.state.script(NS, "site")!.has_assets).toBe(false);
  });

  it("refuses config values outside the SDK's types", async () => {
    const err = await rejectionOf(() => uploadModule(t, "site", { assets: { config: { html_handling: "sometimes" } } }));
    expect(err.status).toBe(400);
    expect(err.errors[0].message).toContain("assets.config.html_handling must be one of");
  });
});
