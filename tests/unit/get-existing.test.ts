/**
 * `Resource.get(name, id)` reads an existing object without managing it: the engine calls `read`
 * with the id and no state. The id is the one a managed resource of that kind has, and what the
 * read returns says where the object is and how it is configured.
 */
import { type Emulator, defaultZoneId } from "../../emulator";
import { providersIn } from "../../provider";
import { sdk } from "../emulator/helpers";
import { uploadModule } from "../emulator/script-helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

describe("read with only an id, as get sends it", () => {
  it("finds a dispatch namespace by its namespace_id, and still by the name earlier versions took", async () => {
    const ns = await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "shared" });
    const byId = await providers.DispatchNamespace.read!(ns.namespace_id!, {});
    expect(byId).toMatchObject({
      id: ns.namespace_id,
      props: { namespace: "shared", namespaceId: ns.namespace_id, accountId: emu.accountId },
    });
    const byName = await providers.DispatchNamespace.read!("shared", {});
    expect(byName.id).toBe(ns.namespace_id); // the same id as a managed namespace
  });

  it("finds a KV namespace by its id", async () => {
    const kv = await sdk(emu).kv.namespaces.create({ account_id: emu.accountId, title: "data" });
    expect(await providers.KVNamespace.read!(kv.id, {})).toMatchObject({ id: kv.id, props: { title: "data", namespaceId: kv.id } });
  });

  it("finds a tenant script by <namespace>/<script>, with its configuration", async () => {
    const cf = sdk(emu);
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "tenants" });
    await uploadModule({ cf, account_id: emu.accountId, namespace: "tenants" }, "customer-a", { tags: ["pro"], limits: { cpu_ms: 25 } });
    const read = await providers.NamespacedWorkerScript.read!("tenants/customer-a", {});
    expect(read.id).toBe("tenants/customer-a");
    expect(read.props).toMatchObject({
      namespace: "tenants",
      scriptName: "customer-a",
      accountId: emu.accountId,
      tags: ["pro"],
      limits: { cpuMs: 25 },
    });
    expect(read.props!.etag).toEqual(expect.any(String));
  });

  it("finds an account-level Worker by its name; a missing one reads as gone", async () => {
    const form = new FormData();
    form.append(
      "metadata",
      new Blob([JSON.stringify({ main_module: "index.js", compatibility_date: "2025-01-01" })], { type: "application/json" }),
      "metadata.json",
    );
    form.append(
      "index.js",
      new Blob(['export default { fetch() { return new Response("r") } }'], { type: "application/javascript+module" }),
      "index.js",
    );
    await sdk(emu).put(`/accounts/${emu.accountId}/workers/scripts/platform-router`, { body: form });
    expect(await providers.WorkerScript.read!("platform-router", {})).toMatchObject({
      id: "platform-router",
      props: { scriptName: "platform-router", compatibilityDate: "2025-01-01" },
    });
    expect(await providers.WorkerScript.read!("nobody", {})).toEqual({});
  });

  it("finds a custom hostname by its id, given its zone, with its metadata", async () => {
    const zoneId = defaultZoneId(emu.accountId, "example.com");
    const h = await sdk(emu).customHostnames.create({
      zone_id: zoneId,
      hostname: "shop.acme.com",
      ssl: { method: "http", type: "dv" },
      custom_metadata: { tenant: "acme" },
    });
    expect(await providers.CustomHostname.read!(h.id, { zoneId })).toMatchObject({
      id: h.id,
      props: { zoneId, hostname: "shop.acme.com", customHostnameId: h.id, customMetadata: { tenant: "acme" }, status: "pending" },
    });
  });

  it("finds a zone's fallback origin by the zone's id", async () => {
    const zoneId = defaultZoneId(emu.accountId, "example.com");
    await sdk(emu).customHostnames.fallbackOrigin.update({ zone_id: zoneId, origin: "fallback.example.com" });
    expect(await providers.FallbackOrigin.read!(zoneId, {})).toMatchObject({
      id: zoneId,
      props: { zoneId, origin: "fallback.example.com" },
    });
  });
});
