/**
 * Script-level settings of an account-level Worker through the SDK's own methods
 * (`client.workers.scripts.settings.get/edit` → `…/scripts/:name/script-settings`).
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
useEmulator((f) => ({ emu, cf, account_id } = f));

const upload = (name: string) =>
  uploadAccountScript(
    cf,
    account_id,
    name,
    workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", tags: ["edge"], logpush: false }),
  );

it("reads what the upload set: logpush, observability, tags, tail consumers", async () => {
  await upload("dispatcher");
  await expect(cf.workers.scripts.settings.get("dispatcher", { account_id })).resolves.toEqual({
    logpush: false,
    observability: null,
    tags: ["edge"],
    tail_consumers: null,
  });
});

it("edits the given fields, keeps the others, and the Worker's other views agree", async () => {
  await upload("dispatcher");
  const edited = await cf.workers.scripts.settings.edit("dispatcher", { account_id, logpush: true, tail_consumers: [{ service: "tail" }] });
  expect(edited).toEqual({ logpush: true, observability: null, tags: ["edge"], tail_consumers: [{ service: "tail" }] });
  expect(emu.state.accountScript("dispatcher")).toMatchObject({ logpush: true, tags: ["edge"] });
});

it("refuses an invalid value like an upload's metadata (400 / 10021), and a missing Worker with 404 / 10007", async () => {
  await upload("dispatcher");
  const invalid = await rejectionOf(() =>
    cf.workers.scripts.settings.edit("dispatcher", { account_id, logpush: "yes" as unknown as boolean }),
  );
  expect([invalid.status, invalid.errors[0].code]).toEqual([400, 10021]);
  const missing = await rejectionOf(() => cf.workers.scripts.settings.get("missing", { account_id }));
  expect([missing.status, missing.errors[0].code]).toEqual([404, 10007]);
});
