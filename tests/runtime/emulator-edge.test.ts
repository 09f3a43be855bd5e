/**
 * The emulator with its edge: Workers uploaded through the real API (official SDK, native FormData) run in
 * workerd, reached by Host through a zone route; KV values are shared between the API and the Workers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";
import { edgeRequest } from "../../emulator/edge-client";
import { readStoredState } from "../../emulator/persistence/state-journal";

const TENANT = (label: string) => `
export default {
  fetch(request, env) {
    return Response.json({ tenant: ${JSON.stringify(label)}, config: env.CONFIG, path: new URL(request.url).pathname });
  },
};`;

const DISPATCHER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, op, key] = url.pathname.split("/");
    if (op === "kv-get") return new Response((await env.KV.get(key)) ?? "(missing)");
    if (op === "kv-put") {
      await env.KV.put(key, await request.text(), { metadata: { by: "worker" } });
      return new Response("stored");
    }
    if (op === "secret") return new Response(env.SECRET);
    const tenant = url.hostname.split(".")[0];
    try {
      return await env.TENANTS.get(tenant).fetch(request);
    } catch (e) {
      if (e.message.startsWith("Worker not found")) return new Response("no tenant " + tenant, { status: 404 });
      throw e;
    }
  },
};`;

/** A module Worker upload (native FormData, as Cloudflare accepts it). */
const form = (metadata: Record<string, unknown>, code: string) =>
  workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }, { "index.js": code });

describe("startEmulator({ edge })", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-edge-"));
  let emu: Emulator;
  let cf: Cloudflare;
  let account_id: string;
  let kvId: string;
  const base = () => `/accounts/${account_id}/workers`;
  const uploadTenant = (name: string, code: string, config: unknown) =>
    cf.put(`${base()}/dispatch/namespaces/tenants/scripts/${name}`, {
      body: form({ bindings: [{ type: "json", name: "CONFIG", json: config }] }, code),
    });
  const get = (host: string, p = "/", method?: string, body?: string) => edgeRequest(emu.edge!, host, p, method, body);

  beforeAll(async () => {
    emu = await startEmulator({ dataDir, edge: { onLog: () => undefined, onWarning: () => undefined } });
    cf = sdk(emu);
    account_id = emu.accountId;
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    kvId = (await cf.kv.namespaces.create({ account_id, title: "config" })).id;
    await uploadTenant("customer-a", TENANT("a"), { plan: "pro" });
    await uploadTenant("customer-b", TENANT("b"), { plan: "free" });
    await cf.put(`${base()}/scripts/dispatcher`, {
      body: form(
        {
          bindings: [
            { type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" },
            { type: "kv_namespace", name: "KV", namespace_id: kvId },
            { type: "secret_text", name: "SECRET", text: "s3cret" },
          ],
        },
        DISPATCHER,
      ),
    });
    await cf.workers.routes.create({
      zone_id: defaultZoneId(account_id, "example.com"),
      pattern: "*.platform.example.com/*",
      script: "dispatcher",
    });
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("exposes the edge's URL", () => {
    expect(emu.edge).toEqual({ url: `http://127.0.0.1:${emu.edge!.port}`, port: expect.any(Number) });
  });

  it("routes a tenant hostname through the dispatcher to the tenant, with the tenant's own bindings", async () => {
    const a = await get("customer-a.platform.example.com", "/dashboard");
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toEqual({ tenant: "a", config: { plan: "pro" }, path: "/dashboard" });
    const b = await get("customer-b.platform.example.com");
    expect(JSON.parse(b.text)).toEqual({ tenant: "b", config: { plan: "free" }, path: "/" });
  });

  it("serves a re-uploaded tenant on the next request, without a restart", async () => {
    await uploadTenant("customer-a", TENANT("a v2"), { plan: "enterprise" });
    expect(JSON.parse((await get("customer-a.platform.example.com")).text)).toMatchObject({
      tenant: "a v2",
      config: { plan: "enterprise" },
    });
  });

  it("answers the dispatcher's 404 for an unknown tenant, and the edge's 404 off the route", async () => {
    expect(await get("customer-z.platform.example.com")).toMatchObject({ status: 404, text: "no tenant customer-z" });
    expect((await get("example.com")).text).toMatch(/^404 Not Found/);
  });

  it("gives Workers their secret values", async () => {
    expect((await get("x.platform.example.com", "/secret")).text).toBe("s3cret");
  });

  it("shares KV values between the API and the Workers, and persists Workers' writes", async () => {
    await cf.kv.namespaces.values.update("greeting", { account_id, namespace_id: kvId, value: "hello from the API" });
    expect((await get("x.platform.example.com", "/kv-get/greeting")).text).toBe("hello from the API");

    expect((await get("x.platform.example.com", "/kv-put/from-worker", "POST", "written by a Worker")).text).toBe("stored");
    const res = await cf.kv.namespaces.values.get("from-worker", { account_id, namespace_id: kvId });
    expect(await res.text()).toBe("written by a Worker");
    const keys = await cf.kv.namespaces.keys.list(kvId, { account_id });
    expect(keys.result).toContainEqual({ name: "from-worker", metadata: { by: "worker" } });

    const saved = readStoredState(dataDir)!;
    const ns = saved.accounts[0].kvNamespaces.find((n) => n.id === kvId)!;
    expect(ns.entries.map((e) => e.name)).toEqual(["from-worker", "greeting"]);
  });

  it("serves workers.dev once the account has a subdomain and the Worker is enabled", async () => {
    expect((await get("dispatcher.acme.workers.dev", "/secret")).status).toBe(404);
    await cf.workers.subdomains.update({ account_id, subdomain: "acme" });
    await cf.workers.scripts.subdomain.create("dispatcher", { account_id, enabled: true });
    expect(await get("dispatcher.acme.workers.dev", "/secret")).toMatchObject({ status: 200, text: "s3cret" });
  });
});

describe("startEmulator without edge", () => {
  it("starts the API only", async () => {
    const emu = await startEmulator();
    try {
      expect(emu.edge).toBeUndefined();
      await expect(sdk(emu).workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId })).resolves.toBeDefined();
    } finally {
      await emu.close();
    }
  });
});
