/**
 * Cron triggers of an account-level Worker (`/accounts/:a/workers/scripts/:s/schedules`, SOURCES.md §5.11)
 * through the official SDK's `client.workers.scripts.schedules`: replaced as a whole, read back, removed
 * with `[]` and with the Worker; a malformed cron and a missing Worker are refused.
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { CF_TIMESTAMP, rejectionOf, useEmulator } from "./helpers";
import { workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;

useEmulator((f) => ({ emu, cf, account_id } = f));

beforeEach(async () => {
  const code = "export default { fetch() { return new Response('hi') }, scheduled() {} }";
  await cf.put(`/accounts/${account_id}/workers/scripts/nightly`, {
    body: workerForm({ main_module: "index.js", compatibility_date: "2025-01-01" }, { "index.js": code }),
  });
});

const schedules = () => cf.workers.scripts.schedules;

describe("a Worker's cron triggers", () => {
  it("are replaced as a whole and read back, keeping the creation time of a cron kept", async () => {
    const first = await schedules().update("nightly", { account_id, body: [{ cron: "0 3 * * *" }] });
    expect(first.schedules).toEqual([
      { cron: "0 3 * * *", created_on: expect.stringMatching(CF_TIMESTAMP), modified_on: expect.stringMatching(CF_TIMESTAMP) },
    ]);
    const second = await schedules().update("nightly", { account_id, body: [{ cron: "0 3 * * *" }, { cron: "*/15 * * * MON-FRI" }] });
    expect(second.schedules.map((s) => s.cron)).toEqual(["0 3 * * *", "*/15 * * * MON-FRI"]);
    expect(second.schedules[0].created_on).toBe(first.schedules[0].created_on);
    expect(await schedules().get("nightly", { account_id })).toEqual(second);
  });

  it("are removed with an empty list, and with the Worker", async () => {
    await schedules().update("nightly", { account_id, body: [{ cron: "0 3 * * *" }] });
    expect((await schedules().update("nightly", { account_id, body: [] })).schedules).toEqual([]);
    await schedules().update("nightly", { account_id, body: [{ cron: "0 3 * * *" }] });
    await cf.workers.scripts.delete("nightly", { account_id });
    expect(emu.state.account(account_id)!.schedules).toEqual({});
  });

  it("refuses a malformed cron (400 / 10100) and a Worker that does not exist (404 / 10007)", async () => {
    const bad = await rejectionOf(() => schedules().update("nightly", { account_id, body: [{ cron: "every day" }] }));
    expect([bad.status, bad.errors[0].code]).toEqual([400, 10100]);
    const missing = await rejectionOf(() => schedules().get("nobody", { account_id }));
    expect([missing.status, missing.errors[0].code]).toEqual([404, 10007]);
  });
});
