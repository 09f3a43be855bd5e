/**
 * A dispatcher's cron triggers (WorkerScript `crons`), called directly against the emulator: set after the
 * upload with one PUT of the whole list, changed only when they change, read back on refresh, removed
 * before the Worker is deleted, and malformed ones refused at preview naming the property.
 */
import type { Emulator } from "../../emulator";
import { workerScriptResource } from "../../provider/resources/worker-script";
import type { WorkerScriptInputs, WorkerScriptOutputs } from "../../provider/resources/worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const worker = workerScriptResource(providerContext(env));

const CODE = "export default { fetch() { return new Response('ok') }, scheduled() {} }";
const writes = () => emu.requests.writes().map((w) => `${w.method} ${w.path}`);
const crons = () => (emu.state.account(emu.accountId)!.schedules?.nightly ?? []).map((s) => s.cron);

async function created(cronList?: string[]): Promise<{ news: WorkerScriptInputs; outs: WorkerScriptOutputs }> {
  const checked = await worker.check({}, { scriptName: "nightly", content: CODE, ...(cronList ? { crons: cronList } : {}) });
  expect(checked.failures).toBeUndefined();
  const news = checked.inputs as WorkerScriptInputs;
  return { news, outs: (await worker.create(news)).outs as WorkerScriptOutputs };
}

describe("WorkerScript crons", () => {
  it("are set after the upload with one PUT of the whole list", async () => {
    await created(["0 3 * * *", "*/15 * * * MON-FRI"]);
    expect(writes()).toEqual([
      `PUT /accounts/${emu.accountId}/workers/scripts/nightly`,
      `PUT /accounts/${emu.accountId}/workers/scripts/nightly/schedules`,
    ]);
    expect(crons()).toEqual(["0 3 * * *", "*/15 * * * MON-FRI"]);
  });

  it("cost no call for a Worker without crons", async () => {
    await created();
    expect(writes()).toEqual([`PUT /accounts/${emu.accountId}/workers/scripts/nightly`]);
  });

  it("are changed as a list on update, and read back on refresh with what changed outside Pulumi", async () => {
    const { outs } = await created(["0 3 * * *"]);
    const news = { ...outs, crons: ["0 4 * * *"] } as WorkerScriptInputs;
    expect((await worker.diff("nightly", outs, news)).changes).toBe(true);
    const updated = (await worker.update("nightly", outs, news)).outs as WorkerScriptOutputs;
    expect(crons()).toEqual(["0 4 * * *"]);
    await sdk(emu).workers.scripts.schedules.update("nightly", { account_id: emu.accountId, body: [{ cron: "0 5 * * *" }] });
    expect((await worker.read("nightly", updated)).props).toMatchObject({ crons: ["0 5 * * *"] });
  });

  it("are removed before the Worker is deleted", async () => {
    const { outs } = await created(["0 3 * * *"]);
    emu.requests.clear();
    await worker.remove("nightly", outs);
    expect(writes()[0]).toBe(`PUT /accounts/${emu.accountId}/workers/scripts/nightly/schedules`);
    expect(emu.state.account(emu.accountId)!.schedules).toEqual({});
  });

  it("are refused at preview when not five cron fields, or listed twice", async () => {
    const checked = await worker.check({}, { scriptName: "nightly", content: CODE, crons: ["every day", "0 3 * * *", "0 3 * * *"] });
    expect(checked.failures).toEqual([
      { property: "crons", reason: expect.stringContaining("crons[0] must be a cron expression of five fields") },
      { property: "crons", reason: "crons[2]: '0 3 * * *' is listed twice" },
    ]);
  });
});
