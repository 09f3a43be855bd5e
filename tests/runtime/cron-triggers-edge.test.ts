/**
 * A dispatcher's cron trigger fired at the emulator's edge the way wrangler's local dev does it: a request to
 * `/__scheduled?cron=…` on a host routed to a Worker with cron triggers runs its `scheduled` handler (which
 * here records the cron in KV, read back through the API); a Worker without cron triggers gets the request.
 */
import type Cloudflare from "cloudflare";
import { defaultZoneId, startEmulator, type Emulator } from "../../emulator";
import { edgeRequest } from "../../emulator/edge-client";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";

const WORKER = `
export default {
  fetch(request) { return new Response("fetch " + new URL(request.url).pathname); },
  async scheduled(controller, env) { await env.RUNS.put("last-cron", controller.cron); },
};`;

describe("cron triggers at the edge", () => {
  let emu: Emulator;
  let cf: Cloudflare;
  let account_id: string;
  let kvId: string;
  /** What the scheduled handler last wrote, read from the emulator's store. */
  const lastCron = () => {
    const entry = emu.state
      .kvNamespaces()
      .find((n) => n.id === kvId)
      ?.entries.find((e) => e.name === "last-cron");
    return entry && Buffer.from(entry.value_base64, "base64").toString();
  };

  beforeAll(async () => {
    emu = await startEmulator({ edge: { onLog: () => undefined, onWarning: () => undefined } });
    cf = sdk(emu);
    account_id = emu.accountId;
    kvId = (await cf.kv.namespaces.create({ account_id, title: "runs" })).id;
    const form = workerForm(
      { main_module: "index.js", compatibility_date: "2025-01-01", bindings: [{ type: "kv_namespace", name: "RUNS", namespace_id: kvId }] },
      { "index.js": WORKER },
    );
    await cf.put(`/accounts/${account_id}/workers/scripts/nightly`, { body: form });
    await cf.workers.routes.create({ zone_id: defaultZoneId(account_id, "example.com"), pattern: "jobs.example.com/*", script: "nightly" });
  }, 120_000);
  afterAll(() => emu?.close());

  it("hands /__scheduled to the fetch handler while the Worker has no cron trigger", async () => {
    expect(await edgeRequest(emu.edge!, "jobs.example.com", "/__scheduled?cron=0+3+*+*+*")).toMatchObject({
      status: 200,
      text: "fetch /__scheduled",
    });
    expect(lastCron()).toBeUndefined();
  });

  it("runs the scheduled handler with the cron asked for, once the Worker has cron triggers", async () => {
    await cf.workers.scripts.schedules.update("nightly", { account_id, body: [{ cron: "0 3 * * *" }, { cron: "*/5 * * * *" }] });
    expect(await edgeRequest(emu.edge!, "jobs.example.com", "/__scheduled?cron=*/5+*+*+*+*")).toMatchObject({
      status: 200,
      text: "Ran scheduled event",
    });
    expect(lastCron()).toBe("*/5 * * * *");
    await edgeRequest(emu.edge!, "jobs.example.com", "/__scheduled");
    expect(lastCron()).toBe("0 3 * * *");
  });
});
