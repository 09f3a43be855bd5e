/** Credentials: bearer tokens (edit/read, account-scoped), global API key + email, token verification. */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator } from "../../emulator";
import { HEX32, raw, rejectionOf, sdk, type EnvelopeOf, type NamespaceResult } from "./helpers";

const OTHER = "cccccccccccccccccccccccccccccccc";
let emu: Emulator;
let path: string;

beforeAll(async () => {
  emu = await startEmulator({
    apiToken: "edit-token",
    accounts: [{ id: OTHER }],
    tokens: [
      { token: "read-token", permission: "read" },
      { token: "other-only", accounts: [OTHER] },
    ],
    apiKeys: [{ email: "ops@example.com", key: "global-key" }],
  });
  path = `/accounts/${emu.accountId}/workers/dispatch/namespaces`;
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

it("uses the configured default token", () => {
  expect(emu.apiToken).toBe("edit-token");
});

it("answers 400 / 9106 when no credentials are sent", async () => {
  const res = await raw(emu, "GET", path, { auth: false });
  expect(res.status).toBe(400);
  expect(res.json).toEqual({
    success: false,
    errors: [{ code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }],
    messages: [],
    result: null,
  });
});

it("answers 400 / 9106 when only half of the key + email pair is sent", async () => {
  const res = await raw(emu, "GET", path, { auth: false, headers: { "x-auth-key": "global-key" } });
  expect(res.status).toBe(400);
  expect(res.json.errors[0].code).toBe(9106);
});

it("answers 400 / 6003 (chain 6111) for an Authorization header that is not a bearer token", async () => {
  const res = await raw(emu, "GET", path, { auth: false, headers: { authorization: "Basic Zm9vOmJhcg==" } });
  expect(res.status).toBe(400);
  expect(res.json.errors[0]).toEqual({
    code: 6003,
    message: "Invalid request headers",
    error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
  });
});

it("refuses an unknown token with 403 / 10000, which the SDK does not retry", async () => {
  const cf = sdk(emu, { apiToken: "not-a-token", maxRetries: 2 });
  const err = await rejectionOf(() => cf.workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId }));
  expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
  expect(err.status).toBe(403);
  expect(err.errors[0]).toEqual({ code: 10000, message: "Authentication error" });
  expect(emu.requests.count()).toBe(1);
});

it("accepts the global API key with its email, and refuses a wrong key", async () => {
  const good = new Cloudflare({ apiEmail: "ops@example.com", apiKey: "global-key", baseURL: emu.url, maxRetries: 0 });
  await expect(good.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "by-key" })).resolves.toMatchObject({
    namespace_name: "by-key",
  });
  const bad = new Cloudflare({ apiEmail: "ops@example.com", apiKey: "wrong", baseURL: emu.url, maxRetries: 0 });
  const err = await rejectionOf(() => bad.workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId }));
  expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
  expect(err.errors[0].code).toBe(10000);
});

it("lets a read-only token read but refuses its writes with 403 / 10000", async () => {
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "existing" });
  const ro = sdk(emu, { apiToken: "read-token" }).workersForPlatforms.dispatch.namespaces;
  await expect(ro.get("existing", { account_id: emu.accountId })).resolves.toMatchObject({ namespace_name: "existing" });

  for (const attempt of [
    () => ro.create({ account_id: emu.accountId, name: "nope" }),
    () => ro.delete("existing", { account_id: emu.accountId }),
    () => sdk(emu, { apiToken: "read-token" }).put(`${path}/existing`, { body: { name: "renamed" } }),
  ]) {
    const err = await rejectionOf(attempt);
    expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
    expect(err.errors[0]).toEqual({ code: 10000, message: "Authentication error" });
  }
  expect(emu.state.namespaces().map((n) => n.namespace_name)).toEqual(["existing"]);
});

it("refuses a token on an account it cannot see (403 / 10000) and allows its own", async () => {
  const scoped = sdk(emu, { apiToken: "other-only" }).workersForPlatforms.dispatch.namespaces;
  const err = await rejectionOf(() => scoped.create({ account_id: emu.accountId, name: "x" }));
  expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
  expect(err.errors[0].code).toBe(10000);
  await expect(scoped.create({ account_id: OTHER, name: "x" })).resolves.toMatchObject({ namespace_name: "x" });
});

it("records who created and modified a namespace (a stable 32-hex user tag per credential)", async () => {
  const a = await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "who" });
  const keyClient = new Cloudflare({ apiEmail: "ops@example.com", apiKey: "global-key", baseURL: emu.url, maxRetries: 0 });
  const renamed = await keyClient.patch<EnvelopeOf<NamespaceResult>>(`${path}/who`, { body: { name: "who2" } });
  expect(a.created_by).toMatch(HEX32);
  expect(renamed.result.created_by).toBe(a.created_by);
  expect(renamed.result.modified_by).toMatch(HEX32);
  expect(renamed.result.modified_by).not.toBe(a.created_by);
});

describe("GET /user/tokens/verify", () => {
  it("returns { id, status: 'active' } for a valid token", async () => {
    const v = await sdk(emu).user.tokens.verify();
    expect(v).toEqual({ id: expect.stringMatching(HEX32), status: "active" });
    const ro = await sdk(emu, { apiToken: "read-token" }).user.tokens.verify();
    expect(ro.id).not.toBe(v.id);
  });

  it("answers 401 / 1000 for an unknown token, a key pair, or nothing", async () => {
    const err = await rejectionOf(() => sdk(emu, { apiToken: "bogus" }).user.tokens.verify());
    expect(err).toBeInstanceOf(Cloudflare.AuthenticationError);
    expect(err.errors[0]).toEqual({ code: 1000, message: "Invalid API Token" });
    const byKey = await raw(emu, "GET", "/user/tokens/verify", {
      auth: false,
      headers: { "x-auth-email": "ops@example.com", "x-auth-key": "global-key" },
    });
    expect(byKey.status).toBe(401);
    const none = await raw(emu, "GET", "/user/tokens/verify", { auth: false });
    expect(none.status).toBe(401);
    expect(none.json.errors[0].code).toBe(1000);
  });
});
