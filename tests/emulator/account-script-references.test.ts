/**
 * What depends on an account-level Worker — `…/scripts/:name/references` and
 * `/workers/tails/by-consumer/:name` — computed from the stored Workers' bindings and tail consumers.
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { accountScriptPath, uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
useEmulator((f) => ({ emu, cf, account_id } = f));

const deploy = (name: string, metadata: Record<string, unknown> = {}) =>
  uploadAccountScript(cf, account_id, name, workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }));
const references = (name: string) =>
  cf.get<{ result: Record<string, any> }>(accountScriptPath(account_id, name, "/references")).then((r) => r.result);
const tailProducers = (name: string) =>
  cf.get<{ result: unknown[] }>(`/accounts/${account_id}/workers/tails/by-consumer/${name}`).then((r) => r.result);

describe("GET …/scripts/:name/references", () => {
  it("lists the Workers binding it as a service and the dispatch namespaces using it as their outbound Worker", async () => {
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    await deploy("outbound");
    await deploy("dispatcher", {
      bindings: [
        { type: "dispatch_namespace", name: "DISPATCHER", namespace: "tenants", outbound: { worker: { service: "outbound" } } },
        { type: "service", name: "OUT", service: "outbound" },
      ],
    });
    expect(await references("outbound")).toEqual({
      services: { incoming: [{ service: "dispatcher", environment: "production", name: "OUT" }], pages_function: false },
      durable_objects: [],
      dispatch_outbounds: [{ service: "dispatcher", environment: "production", namespace: "tenants" }],
    });
    expect(await references("dispatcher")).toEqual({
      services: { incoming: [], pages_function: false },
      durable_objects: [],
      dispatch_outbounds: [],
    });
  });

  it("answers 404 / 10007 for a Worker that does not exist", async () => {
    const error = await rejectionOf(() => references("missing"));
    expect([error.status, error.errors[0].code]).toEqual([404, 10007]);
  });
});

describe("GET /workers/tails/by-consumer/:name", () => {
  it("lists the Workers naming it among their tail consumers, and nothing for others", async () => {
    await deploy("tail");
    await deploy("producer", { tail_consumers: [{ service: "tail" }] });
    expect(await tailProducers("tail")).toEqual([{ producer: { service: "producer", environment: "production" } }]);
    expect(await tailProducers("producer")).toEqual([]);
    expect(emu.state.accountScripts().map((s) => s.name)).toEqual(["producer", "tail"]);
  });
});
