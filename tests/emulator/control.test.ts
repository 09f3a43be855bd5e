/** The HTTP control API for an emulator in another process: behind the control token, not logged, not faulted. */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { control, raw, rejectionOf, sdk } from "./helpers";

let emu: Emulator;
beforeAll(async () => (emu = await startEmulator()));
afterAll(() => emu.close());
beforeEach(() => emu.reset());

it("GET /__emulator/requests returns the log (control calls are not in it); DELETE clears it", async () => {
  await sdk(emu).accounts.get({ account_id: emu.accountId });
  const res = await control(emu, "GET", "/requests");
  expect(res.status).toBe(200);
  expect(res.contentType).toBe("application/json");
  expect(res.json.result).toMatchObject({ inFlight: 0, peakConcurrency: 1 });
  expect(res.json.result.entries).toEqual([expect.objectContaining({ method: "GET", path: `/accounts/${emu.accountId}`, status: 200 })]);
  expect((await control(emu, "DELETE", "/requests")).status).toBe(200);
  expect((await control(emu, "GET", "/requests")).json.result.entries).toEqual([]);
});

it("POST /__emulator/faults configures faults as JSON; GET shows them; DELETE clears them", async () => {
  const set = await control(emu, "POST", "/faults", {
    next: [{ status: 503, times: 1, method: "POST" }],
    visibilityDelayMs: 0,
    latency: 5,
  });
  expect(set.status).toBe(200);
  expect(set.json.result).toMatchObject({ latency: { ms: 5 }, pending: [{ status: 503, method: "POST", remaining: 1 }] });

  const cf = sdk(emu).workersForPlatforms.dispatch.namespaces;
  const err = await rejectionOf(() => cf.create({ account_id: emu.accountId, name: "x" }));
  expect(err).toBeInstanceOf(Cloudflare.InternalServerError);
  expect((await control(emu, "GET", "/faults")).json.result.pending).toEqual([]);

  await control(emu, "POST", "/faults", { random: { probability: 1, statuses: [429], seed: 3 } });
  expect((await control(emu, "DELETE", "/faults")).json.result).toEqual({
    latency: null,
    pending: [],
    random: null,
    visibilityDelayMs: 0,
  });
  await expect(cf.create({ account_id: emu.accountId, name: "x" })).resolves.toMatchObject({ namespace_name: "x" });
});

it("accepts a path regex and a drop rule over HTTP", async () => {
  await control(emu, "POST", "/faults", { next: [{ drop: "after", path: "/dispatch/namespaces$" }] });
  const cf = sdk(emu).workersForPlatforms.dispatch.namespaces;
  await expect(rejectionOf(() => cf.create({ account_id: emu.accountId, name: "ghost-write" }))).resolves.toBeInstanceOf(
    Cloudflare.APIConnectionError,
  );
  expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["ghost-write"]);
});

it("answers 400 for an invalid fault configuration", async () => {
  for (const body of [{ next: [{ status: 200 }] }, { next: [{ status: 500, path: "(" }] }, [1, 2]]) {
    const res = await control(emu, "POST", "/faults", body);
    expect(res.status).toBe(400);
    expect(res.json.success).toBe(false);
    expect(res.json.errors[0].code).toBe(10026);
  }
});

it("GET /__emulator/state shows the data without the default token", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "seen" });
  const res = await control(emu, "GET", "/state");
  expect(res.json.result.defaultAccountId).toBe(emu.accountId);
  expect(res.json.result.defaultApiToken).toBeUndefined();
  expect(res.json.result.accounts[0].dispatchNamespaces[0]).toMatchObject({ namespace_name: "seen", scripts: {} });
});

it("POST /__emulator/reset empties the data, faults and log", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "temp" });
  emu.faults.failNext(500, { times: 5 });
  expect((await control(emu, "POST", "/reset")).status).toBe(200);
  expect(emu.state.namespaces()).toEqual([]);
  expect(emu.faults.pending).toBe(0);
  expect(emu.requests.entries).toEqual([]);
});

it("is never hit by injected faults, and unknown control paths are 404 / 7000 in JSON", async () => {
  emu.faults.dropNext({ times: 3 });
  expect((await control(emu, "GET", "/health")).json.result).toEqual({ status: "ok" });
  expect(emu.faults.pending).toBe(3);
  const res = await control(emu, "GET", "/nope");
  expect(res.status).toBe(404);
  expect(res.contentType).toBe("application/json");
  expect(res.json.errors[0].code).toBe(7000);
});

describe("credentials", () => {
  // Every row has three entries: jest passes a row's entries as arguments, and a shorter row would make the third a `done` callback.
  const endpoints: Array<[string, string, unknown]> = [
    ["GET", "/state", undefined],
    ["GET", "/requests", undefined],
    ["DELETE", "/requests", undefined],
    ["GET", "/faults", undefined],
    ["POST", "/faults", { next: [{ status: 503 }] }],
    ["DELETE", "/faults", undefined],
    ["GET", "/rate-limit", undefined],
    ["PUT", "/rate-limit", { requests: 5, windowMs: 1000 }],
    ["DELETE", "/rate-limit", undefined],
    ["POST", "/secret-match", { script: "w", name: "S", value: "v" }],
    ["POST", "/reset", undefined],
  ];

  it.each(endpoints)("%s %s is refused without the token (400 / 9106) and changes nothing", async (method, path, body) => {
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "kept" });
    const res = await control(emu, method, path, body, {});
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ success: false, result: null, errors: [{ code: 9106 }] });
    expect(res.json.result).toBeNull();
    expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["kept"]);
    expect(emu.faults.describe().pending).toEqual([]);
    expect(emu.rateLimits.describe()).toBeNull();
    expect(emu.requests.count()).toBe(1);
  });

  it.each(endpoints)("%s %s is refused with a wrong (403 / 10000) or malformed (400 / 6003) credential", async (method, path, body) => {
    const wrong = await control(emu, method, path, body, { authorization: "Bearer not-the-token" });
    expect([wrong.status, wrong.json.errors[0].code]).toEqual([403, 10000]);
    const malformed = await control(emu, method, path, body, { authorization: `Basic ${emu.controlToken}` });
    expect([malformed.status, malformed.json.errors[0].code]).toEqual([400, 6003]);
  });

  it.each(endpoints)("%s %s answers with the control token", async (method, path, body) => {
    const res = await control(emu, method, path, body);
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
  });

  it("refuses an unknown control path without the token before saying it does not exist; health needs none", async () => {
    expect((await control(emu, "GET", "/nope", undefined, {})).json.errors[0].code).toBe(9106);
    expect((await control(emu, "GET", "/health", undefined, {})).json.result).toEqual({ status: "ok" });
  });

  it("with a separate control token, the API token no longer opens the control endpoints (and the control token is no API token)", async () => {
    const separate = await startEmulator({ controlToken: "ops-only" });
    try {
      expect(separate.controlToken).toBe("ops-only");
      expect((await control(separate, "GET", "/state", undefined, { authorization: `Bearer ${separate.apiToken}` })).status).toBe(403);
      expect((await control(separate, "GET", "/state")).status).toBe(200);
      const api = await raw(separate, "GET", "/accounts", { headers: { authorization: "Bearer ops-only" } });
      expect([api.status, api.json.errors[0].code]).toEqual([403, 10000]);
    } finally {
      await separate.close();
    }
  });

  it("a read-only API token is no control token", async () => {
    const withReader = await startEmulator({ tokens: [{ token: "reader", permission: "read" }] });
    try {
      expect((await control(withReader, "GET", "/state", undefined, { authorization: "Bearer reader" })).status).toBe(403);
    } finally {
      await withReader.close();
    }
  });
});
