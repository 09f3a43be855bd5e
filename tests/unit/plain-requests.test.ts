/**
 * Dispatch namespaces are created, read, renamed and deleted, and tenant scripts uploaded, listed and
 * deleted, each with the one request it needs (the provider never loads the `cloudflare` SDK:
 * tests/unit/cloudflare-api.test.ts). A refused call fails with Cloudflare's status, code and message.
 */
import type { Emulator } from "../../emulator";
import { sdk as emulatorClient } from "../emulator/helpers";
import { dispatchNamespaceResource } from "../../provider/resources/dispatch-namespace";
import { tenantFleetResource } from "../../provider/resources/tenant-fleet";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));

/** The provider as a fresh process has it: a context of its own. */
const freshProvider = () => {
  const context = providerContext(env);
  return { fleet: tenantFleetResource(context), namespace: dispatchNamespaceResource(context) };
};

const CODE = 'export default { fetch() { return new Response("hi") } }';
// A binding, not a tag: a change of tags alone is sent to the tags endpoint instead of an upload.
const fleetInputs = (plan: string) => ({
  namespace: "plain",
  defaults: { content: CODE, compatibilityDate: "2025-01-01" },
  tenants: { "tenant-a": { bindings: { PLAN: { type: "plain_text", text: plan } } }, "tenant-b": {} },
});

beforeEach(async () => {
  await emulatorClient(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "plain" });
  emu.requests.clear();
});

describe("plain requests", () => {
  it("tenant scripts are created, changed and deleted with one request each", async () => {
    const { fleet } = freshProvider();
    const first = await fleet.check({}, fleetInputs("free"));
    const { outs } = await fleet.create(first.inputs as never);
    const next = await fleet.check(first.inputs as never, fleetInputs("pro"));
    const { outs: after } = await fleet.update("plain", outs as never, next.inputs as never);
    await fleet.remove("plain", after as never);
    expect(
      emu.requests.entries.map((e) => `${e.method} ${e.path.replace(/^.*\/namespaces\/plain/, "…")}${e.query ? `?${e.query}` : ""}`),
    ).toEqual([
      `GET /accounts/${emu.accountId}`,
      "GET …/scripts?limit=1000",
      expect.stringMatching(/^PUT …\/scripts\/tenant-[ab]$/),
      expect.stringMatching(/^PUT …\/scripts\/tenant-[ab]$/),
      "PUT …/scripts/tenant-a",
      expect.stringMatching(/^DELETE …\/scripts\/tenant-[ab]\?force=true$/),
      expect.stringMatching(/^DELETE …\/scripts\/tenant-[ab]\?force=true$/),
    ]);
    expect(await emulatorClient(emu).workersForPlatforms.dispatch.namespaces.get("plain", { account_id: emu.accountId })).toMatchObject({
      script_count: 0,
    });
  });

  it("a refused upload still fails with Cloudflare's status, code and message", async () => {
    const { fleet } = freshProvider();
    const checked = await fleet.check({}, fleetInputs("free"));
    emu.faults.failNext(400, { method: "PUT", path: "/scripts/tenant-a$", code: 10021, message: "Uncaught SyntaxError" });
    const failure = await fleet.create(checked.inputs as never).then(
      () => undefined,
      (error: { reasons?: string[] }) => error,
    );
    expect(failure?.reasons).toEqual([
      expect.stringMatching(/^tenant 'tenant-a': uploading .*Cloudflare refused it \(HTTP 400, code 10021\): Uncaught SyntaxError/),
    ]);
  });

  it("a dispatch namespace is created, read, renamed and deleted with one request each", async () => {
    const { namespace } = freshProvider();
    const checked = await namespace.check({}, { namespace: "fresh" });
    const { id, outs } = await namespace.create(checked.inputs as never);
    expect((await namespace.read(id, outs as never)).props).toMatchObject({ namespace: "fresh", namespaceId: id });
    const renamed = await namespace.check(checked.inputs as never, { namespace: "renamed" });
    const { outs: after } = await namespace.update(id, outs as never, renamed.inputs as never);
    await namespace.remove(id, after as never);
    expect(
      emu.requests.entries.map((e) => `${e.method} ${e.path.replace(`/accounts/${emu.accountId}/workers/dispatch/namespaces`, "…")}`),
    ).toEqual([`GET /accounts/${emu.accountId}`, "POST …", "GET …/fresh", "PUT …/fresh", "DELETE …/renamed"]);
  });
});
