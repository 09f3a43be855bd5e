/** workers.dev: the account subdomain and the per-Worker toggle, through `client.workers.subdomains` / `.scripts.subdomain`. */
import Cloudflare from "cloudflare";
import { DEFAULT_SCRIPT_SUBDOMAIN, type Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;

useEmulator((f) => ({ emu, cf, account_id } = f));

describe("account subdomain (/workers/subdomain)", () => {
  it("GET is 404 / 10007 until one is registered", async () => {
    const err = await rejectionOf(() => cf.workers.subdomains.get({ account_id }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(err.errors[0].code).toBe(10007);
    expect(emu.state.workersDevSubdomain()).toBeNull();
  });

  it("PUT registers or renames it, GET reads it, DELETE removes it", async () => {
    await expect(cf.workers.subdomains.update({ account_id, subdomain: "acme" })).resolves.toEqual({ subdomain: "acme" });
    await expect(cf.workers.subdomains.get({ account_id })).resolves.toEqual({ subdomain: "acme" });
    await cf.workers.subdomains.update({ account_id, subdomain: "acme-2" });
    expect(emu.state.workersDevSubdomain()).toBe("acme-2");
    await cf.workers.subdomains.delete({ account_id });
    expect(emu.state.workersDevSubdomain()).toBeNull();
    const again = await rejectionOf(() => cf.workers.subdomains.delete({ account_id }));
    expect(again.errors[0].code).toBe(10007);
  });

  it("refuses a subdomain that is not one DNS label (400 / 10026)", async () => {
    for (const subdomain of ["Upper", "-dash", "a.b", ""]) {
      const err = await rejectionOf(() => cf.workers.subdomains.update({ account_id, subdomain }));
      expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
      expect(err.errors[0].code).toBe(10026);
    }
  });
});

describe("per-Worker toggle (/workers/scripts/:script/subdomain)", () => {
  beforeEach(() => uploadAccountScript(cf, account_id, "dispatcher", workerForm({ main_module: "index.js" })));
  const sub = () => cf.workers.scripts.subdomain;

  it("defaults to off for an API-uploaded Worker", async () => {
    expect(DEFAULT_SCRIPT_SUBDOMAIN).toEqual({ enabled: false, previews_enabled: false });
    await expect(sub().get("dispatcher", { account_id })).resolves.toEqual({ enabled: false, previews_enabled: false });
    expect(emu.state.scriptSubdomain("dispatcher")).toEqual({ enabled: false, previews_enabled: false });
  });

  it("POST sets it (previews follow `enabled` unless given), DELETE turns both off", async () => {
    await expect(sub().create("dispatcher", { account_id, enabled: true })).resolves.toEqual({ enabled: true, previews_enabled: true });
    await expect(sub().create("dispatcher", { account_id, enabled: true, previews_enabled: false })).resolves.toEqual({
      enabled: true,
      previews_enabled: false,
    });
    expect(emu.state.scriptSubdomain("dispatcher")).toEqual({ enabled: true, previews_enabled: false });
    await expect(sub().get("dispatcher", { account_id })).resolves.toEqual({ enabled: true, previews_enabled: false });
    await expect(sub().delete("dispatcher", { account_id })).resolves.toEqual({ enabled: false, previews_enabled: false });
    expect(emu.state.scriptSubdomain("dispatcher")).toEqual({ enabled: false, previews_enabled: false });
  });

  it("survives a re-upload, and is forgotten when the Worker is deleted", async () => {
    await sub().create("dispatcher", { account_id, enabled: true });
    await uploadAccountScript(cf, account_id, "dispatcher", workerForm({ main_module: "index.js", tags: ["v2"] }));
    expect(emu.state.scriptSubdomain("dispatcher")).toEqual({ enabled: true, previews_enabled: true });
    await cf.workers.scripts.delete("dispatcher", { account_id });
    expect(emu.state.scriptSubdomain("dispatcher")).toBeUndefined();
    await uploadAccountScript(cf, account_id, "dispatcher", workerForm({ main_module: "index.js" }));
    expect(emu.state.scriptSubdomain("dispatcher")).toEqual({ enabled: false, previews_enabled: false });
  });

  it("answers 404 / 10007 for a missing Worker and 400 for a body without a boolean `enabled`", async () => {
    const missing = await rejectionOf(() => sub().get("ghost", { account_id }));
    expect(missing.errors[0].code).toBe(10007);
    const bad = await rejectionOf(() =>
      cf.post(`/accounts/${account_id}/workers/scripts/dispatcher/subdomain`, { body: { enabled: "yes" } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.errors[0].code).toBe(10026);
  });
});
