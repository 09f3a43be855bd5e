/**
 * Hostname routing for a platform (Cloudflare for SaaS + Workers for Platforms) at the emulator's edge: a
 * `*` / `*` route sends every request entering the zone to the dispatcher, a customer's domain enters the
 * zone once its custom hostname is active, and the dispatcher picks the tenant from the hostname's custom
 * metadata (`request.cf.hostMetadata`), which the tenant sees too.
 */
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { control, sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";

const TENANT = (label: string) => `
export default {
  fetch(request) {
    return Response.json({ tenant: ${JSON.stringify(label)}, host: new URL(request.url).hostname, hostMetadata: request.cf?.hostMetadata ?? null });
  },
};`;

const DISPATCHER = `
export default {
  async fetch(request, env) {
    const tenant = request.cf?.hostMetadata?.tenant;
    if (!tenant) return new Response("no tenant for " + new URL(request.url).hostname, { status: 421 });
    return env.TENANTS.get(tenant).fetch(request);
  },
};`;

const form = (metadata: Record<string, unknown>, code: string) =>
  workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }, { "index.js": code });

describe("custom hostnames at the edge", () => {
  let emu: Emulator;
  let cf: Cloudflare;
  let zone_id: string;
  const get = (host: string, p = "/") => edgeRequest(emu.edge!, host, p);
  const json = async (host: string) => {
    const res = await get(host);
    expect(res.status).toBe(200);
    return JSON.parse(res.text);
  };
  const activate = (hostname: string) => control(emu, "POST", "/custom-hostnames/advance", { hostname, untilActive: true });

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    cf = sdk(emu);
    const account_id = emu.accountId;
    zone_id = defaultZoneId(account_id, "example.com");
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    for (const name of ["acme", "globex"])
      await cf.put(`/accounts/${account_id}/workers/dispatch/namespaces/tenants/scripts/${name}`, { body: form({}, TENANT(name)) });
    await cf.put(`/accounts/${account_id}/workers/scripts/dispatcher`, {
      body: form({ bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }] }, DISPATCHER),
    });
    await cf.workers.routes.create({ zone_id, pattern: "*/*", script: "dispatcher" });
    await cf.customHostnames.fallbackOrigin.update({ zone_id, origin: "fallback.example.com" });
  }, 120_000);
  afterAll(() => emu?.close());

  it("answers 530 / 1016 for a customer's domain whose custom hostname is not active yet", async () => {
    await cf.customHostnames.create({ zone_id, hostname: "shop.acme-customer.com", custom_metadata: { tenant: "acme" } });
    const res = await get("shop.acme-customer.com");
    expect(res.status).toBe(530);
    expect(res.text).toContain("1016");
  });

  it("routes an active custom hostname through the zone's */* route, with its metadata as request.cf.hostMetadata", async () => {
    await activate("shop.acme-customer.com");
    expect(await json("shop.acme-customer.com")).toEqual({
      tenant: "acme",
      host: "shop.acme-customer.com",
      hostMetadata: { tenant: "acme" },
    });
  });

  it("follows a metadata change to the other tenant on the next request", async () => {
    const [h] = (await cf.customHostnames.list({ zone_id, hostname: { exact: "shop.acme-customer.com" } })).result;
    await cf.customHostnames.edit(h.id, { zone_id, custom_metadata: { tenant: "globex" } });
    expect(await json("shop.acme-customer.com")).toMatchObject({ tenant: "globex", hostMetadata: { tenant: "globex" } });
  });

  it("sends the zone's own hostnames to the same route without host metadata, and hosts outside the zone nowhere", async () => {
    const own = await get("www.example.com");
    expect(own).toMatchObject({ status: 421, text: "no tenant for www.example.com" });
    expect((await get("unknown.elsewhere.net")).status).toBe(404);
  });

  it("stops serving a custom hostname once it is deleted", async () => {
    const [h] = (await cf.customHostnames.list({ zone_id, hostname: { exact: "shop.acme-customer.com" } })).result;
    await cf.customHostnames.delete(h.id, { zone_id });
    expect((await get("shop.acme-customer.com")).status).toBe(404);
  });
});
