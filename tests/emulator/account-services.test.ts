/**
 * The legacy "service" paths of an account-level Worker that wrangler still calls:
 * `GET|DELETE /accounts/:a/workers/services/:name`, with 404 / 10090 for a missing Worker.
 */
import type Cloudflare from "cloudflare";
import type { Emulator } from "../../emulator";
import { rejectionOf, useEmulator } from "./helpers";
import { uploadAccountScript, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
useEmulator((f) => ({ emu, cf, account_id } = f));

const servicePath = (name: string) => `/accounts/${account_id}/workers/services/${name}`;
const upload = (name: string) =>
  uploadAccountScript(cf, account_id, name, workerForm({ main_module: "index.js", compatibility_date: "2025-01-01" }));

describe("GET /workers/services/:name", () => {
  it("answers the Worker as its default environment's script, as uploaded", async () => {
    const uploaded = await upload("dispatcher");
    const { result } = await cf.get<{ result: Record<string, any> }>(servicePath("dispatcher"));
    expect(result.id).toBe("dispatcher");
    expect(result.default_environment).toMatchObject({ environment: "production", script: { id: "dispatcher", etag: uploaded.etag } });
    expect(result.default_environment.script.modified_on).toBe(uploaded.modified_on);
  });

  it("answers 404 / 10090 for a Worker that does not exist", async () => {
    const error = await rejectionOf(() => cf.get(servicePath("missing")));
    expect(error.status).toBe(404);
    expect(error.errors[0].code).toBe(10090);
  });
});

describe("DELETE /workers/services/:name", () => {
  it("deletes the Worker, and answers 404 / 10090 once it is gone", async () => {
    await upload("to-go");
    await cf.delete(servicePath("to-go"), { query: { force: "true" } });
    expect(emu.state.accountScript("to-go")).toBeUndefined();
    const again = await rejectionOf(() => cf.delete(servicePath("to-go")));
    expect([again.status, again.errors[0].code]).toEqual([404, 10090]);
  });
});
