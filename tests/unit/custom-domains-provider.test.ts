/**
 * A dispatcher's custom domains (WorkerScript `customDomains`), called directly against the emulator:
 * the calls each step makes, the rules `check` enforces at preview, refresh, and how a domain moves
 * with its Worker when the dispatcher is replaced.
 */
import { type Emulator, defaultZoneId } from "../../emulator";
import { workerScriptResource } from "../../provider/resources/worker-script";
import type { WorkerScriptInputs, WorkerScriptOutputs } from "../../provider/resources/worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const ROUTER = 'export default { fetch() { return new Response("router") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const worker = workerScriptResource(context);

const writes = () => emu.requests.writes().map((w) => `${w.method} ${w.path}`);
const zone = () => defaultZoneId(emu.accountId, "example.com");
const domains = () => emu.state.account(emu.accountId)!.workerDomains.map((d) => [d.hostname, d.service]);

async function createRouter(
  extra: Partial<WorkerScriptInputs> = {},
  scriptName = "platform-router",
): Promise<{ news: WorkerScriptInputs; outs: WorkerScriptOutputs }> {
  const checked = await worker.check({}, { scriptName, content: ROUTER, ...extra });
  expect(checked.failures).toBeUndefined();
  const news = checked.inputs as WorkerScriptInputs;
  const { outs } = await worker.create(news);
  return { news, outs: outs as WorkerScriptOutputs };
}

describe("WorkerScript customDomains", () => {
  it("are attached after the upload, one PUT each, and their ids kept by hostname", async () => {
    const { outs } = await createRouter({
      customDomains: [{ hostname: "platform.example.com", zoneId: zone() }, { hostname: "example.com" }],
    });
    expect(writes()).toEqual([
      `PUT /accounts/${emu.accountId}/workers/scripts/platform-router`,
      `PUT /accounts/${emu.accountId}/workers/domains`,
      `PUT /accounts/${emu.accountId}/workers/domains`,
    ]);
    expect(domains()).toEqual([
      ["platform.example.com", "platform-router"],
      ["example.com", "platform-router"],
    ]);
    const ids = Object.fromEntries(emu.state.account(emu.accountId)!.workerDomains.map((d) => [d.hostname, d.id]));
    expect(outs.customDomainIds).toEqual(ids);
  });

  it("are refused at preview when a hostname is not a plain hostname, lies outside its zone, or is listed twice", async () => {
    const shape = await worker.check(
      {},
      {
        scriptName: "r",
        content: ROUTER,
        customDomains: [{ hostname: "https://a.example.com" }, { hostname: "b.example.com", zoneId: "nope" }],
      },
    );
    expect(shape.failures).toEqual([
      {
        property: "customDomains",
        reason: expect.stringContaining("customDomains[0].hostname must be a lowercase hostname without scheme, path, port or wildcard"),
      },
      { property: "customDomains", reason: expect.stringContaining("customDomains[1].zoneId must be a zone id") },
    ]);
    const outside = await worker.check(
      {},
      { scriptName: "r", content: ROUTER, customDomains: [{ hostname: "app.example.net", zoneId: zone() }] },
    );
    expect(outside.failures).toEqual([
      {
        property: "customDomains",
        reason: `customDomains[0]: the hostname 'app.example.net' is not in zone 'example.com' (${zone()}); give the zone's apex or a subdomain of it`,
      },
    ]);
    const twice = await worker.check(
      {},
      { scriptName: "r", content: ROUTER, customDomains: [{ hostname: "a.example.com" }, { hostname: "a.example.com" }] },
    );
    expect(twice.failures).toEqual([
      { property: "customDomains", reason: "customDomains[1]: the hostname 'a.example.com' is listed twice" },
    ]);
    expect(emu.requests.writes()).toEqual([]);
  });

  it("a change attaches the new hostname and detaches the dropped one, without re-uploading the script", async () => {
    const { news, outs } = await createRouter({ customDomains: [{ hostname: "a.example.com" }, { hostname: "b.example.com" }] });
    const changed = { ...news, customDomains: [{ hostname: "a.example.com" }, { hostname: "c.example.com" }] };
    expect(await worker.diff("platform-router", outs, changed)).toMatchObject({ changes: true, replaces: [] });
    emu.requests.clear();
    const { outs: after } = await worker.update("platform-router", outs, changed);
    expect(writes()).toEqual([
      `PUT /accounts/${emu.accountId}/workers/domains`,
      `DELETE /accounts/${emu.accountId}/workers/domains/${outs.customDomainIds!["b.example.com"]}`,
    ]);
    expect(domains()).toEqual([
      ["a.example.com", "platform-router"],
      ["c.example.com", "platform-router"],
    ]);
    expect((after as WorkerScriptOutputs).customDomainIds!["a.example.com"]).toBe(outs.customDomainIds!["a.example.com"]);
  });

  it("refresh reads them from Cloudflare: one detached outside Pulumi drops out, and the next update attaches it again", async () => {
    const { news, outs } = await createRouter({
      customDomains: [{ hostname: "a.example.com" }, { hostname: "b.example.com", zoneId: zone() }],
    });
    const unchanged = await worker.read("platform-router", outs);
    expect(unchanged.props!.customDomains).toEqual(news.customDomains);
    await sdk(emu).workers.domains.delete(outs.customDomainIds!["a.example.com"], { account_id: emu.accountId });
    const read = await worker.read("platform-router", outs);
    expect(read.props).toMatchObject({
      customDomains: [{ hostname: "b.example.com", zoneId: zone() }],
      customDomainIds: { "b.example.com": outs.customDomainIds!["b.example.com"] },
    });
    expect((await worker.diff("platform-router", read.props as WorkerScriptOutputs, news)).changes).toBe(true);
    await worker.update("platform-router", read.props as WorkerScriptOutputs, news);
    expect(
      domains()
        .map(([h]) => h)
        .sort(),
    ).toEqual(["a.example.com", "b.example.com"]);
  });

  it("move with the dispatcher when it is replaced under a new name: the old one's delete leaves them attached to the new one", async () => {
    const { outs: old } = await createRouter({ customDomains: [{ hostname: "platform.example.com" }] });
    await createRouter({ customDomains: [{ hostname: "platform.example.com" }] }, "platform-router-v2");
    expect(domains()).toEqual([["platform.example.com", "platform-router-v2"]]);
    await worker.remove("platform-router", old);
    expect(domains()).toEqual([["platform.example.com", "platform-router-v2"]]);
  });

  it("are detached before the script is deleted", async () => {
    const { outs } = await createRouter({ customDomains: [{ hostname: "platform.example.com" }] });
    emu.requests.clear();
    await worker.remove("platform-router", outs);
    expect(writes()).toEqual([
      `DELETE /accounts/${emu.accountId}/workers/domains/${outs.customDomainIds!["platform.example.com"]}`,
      `DELETE /accounts/${emu.accountId}/workers/scripts/platform-router`,
    ]);
    expect(domains()).toEqual([]);
  });
});
