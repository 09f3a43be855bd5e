/**
 * The DispatchNamespace provider's decisions, called directly (no engine): what check accepts,
 * what diff calls an update or a replacement, and how create/read/delete treat what Cloudflare has.
 */
import type { Emulator } from "../../emulator";
import { dispatchNamespaceResource } from "../../provider/resources/dispatch-namespace";
import type { DispatchNamespaceOutputs } from "../../provider/resources/dispatch-namespace";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const { check, create, diff, read, remove, update } = dispatchNamespaceResource(context);

describe("check", () => {
  it.each([
    ["UPPER", "uppercase letters"],
    ["-leading-dash", "a leading dash"],
    ["has space", "a space"],
    ["a".repeat(64), "64 characters"],
  ])("rejects the namespace name %j (%s), naming the property and the rule", async (name) => {
    const result = await check({}, { namespace: name });
    expect(result.failures).toEqual([
      { property: "namespace", reason: expect.stringContaining("must be 1-63 characters of lowercase letters, digits") },
    ]);
  });

  it("requires a namespace name", async () => {
    const result = await check({}, {});
    expect(result.failures).toEqual([{ property: "namespace", reason: "namespace is required and must be a non-empty string" }]);
  });

  it("fills in the account the credentials reach, so an account change is visible to diff", async () => {
    const result = await check({}, { namespace: "ok-name" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ namespace: "ok-name", accountId: emu.accountId });
  });

  it("skips validation of values unknown during preview", async () => {
    const result = await check({}, { namespace: UNKNOWN });
    expect(result.failures).toBeUndefined();
  });

  it("rejects an import id that names another namespace", async () => {
    const result = await check({}, { namespace: "a-name", importFrom: "other-name" });
    expect(result.failures).toEqual([{ property: "namespace", reason: expect.stringContaining("'other-name'") }]);
  });

  it("rejects an account id that is not 32 hex characters", async () => {
    const result = await check({}, { namespace: "ok-name", accountId: "nope" });
    expect(result.failures).toEqual([{ property: "accountId", reason: expect.stringContaining("32 lowercase hexadecimal") }]);
  });
});

describe("diff", () => {
  const olds: DispatchNamespaceOutputs = {
    namespace: "tenants",
    accountId: "a".repeat(32),
    namespaceId: "id-1",
    scriptCount: 0,
    trustedWorkers: false,
    createdOn: "t",
    modifiedOn: "t",
    adopted: false,
  };

  it("reports no change when nothing that matters changed", async () => {
    expect(await diff("id-1", olds, { namespace: "tenants", accountId: olds.accountId })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("renames in place: an update, not a replacement", async () => {
    const result = await diff("id-1", olds, { namespace: "renamed", accountId: olds.accountId });
    expect(result).toMatchObject({ changes: true, replaces: [] });
  });

  it("replaces when the account changes", async () => {
    const result = await diff("id-1", olds, { namespace: "tenants", accountId: "b".repeat(32) });
    expect(result).toMatchObject({ changes: true, replaces: ["accountId"] });
  });

  it("treats an unknown name as a change", async () => {
    expect(await diff("id-1", olds, { namespace: UNKNOWN, accountId: olds.accountId })).toMatchObject({ changes: true });
  });

  it("updates when the trusted mode is asked to change, and ignores it when left unset", async () => {
    expect(await diff("id-1", olds, { namespace: "tenants", accountId: olds.accountId, trustedWorkers: true })).toMatchObject({
      changes: true,
    });
    expect(await diff("id-1", olds, { namespace: "tenants", accountId: olds.accountId })).toMatchObject({ changes: false });
  });
});

describe("create, update, read, delete", () => {
  it("sets trusted mode after creating when asked, and returns complete outputs", async () => {
    const { id, outs } = await create({ namespace: "trusted", trustedWorkers: true });
    expect(outs).toMatchObject({ namespace: "trusted", namespaceId: id, accountId: emu.accountId, trustedWorkers: true, adopted: false });
    expect(emu.state.namespace("trusted")?.trusted_workers).toBe(true);
  });

  it("makes no Cloudflare call when only bookkeeping inputs change", async () => {
    const { id, outs } = await create({ namespace: "quiet" });
    emu.requests.clear();
    const result = await update(id, outs, { namespace: "quiet", adopt: true });
    expect(emu.requests.count()).toBe(0);
    expect(result.outs).toEqual({ ...outs, adopt: true });
  });

  it("reads a namespace renamed outside Pulumi by its id", async () => {
    const { id, outs } = await create({ namespace: "before" });
    const state = emu.state.namespace("before")!;
    await fetch(`${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces/before`, {
      method: "PUT",
      headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "after" }),
    });
    const result = await read(id, outs);
    expect(result.id).toBe(state.namespace_id);
    expect(result.props).toMatchObject({ namespace: "after", namespaceId: id });
    expect(result.inputs).toMatchObject({ namespace: "after" });
  });

  it("reads a namespace deleted outside Pulumi as gone", async () => {
    const { id, outs } = await create({ namespace: "doomed" });
    await remove(id, outs);
    expect(await read(id, outs)).toEqual({});
  });

  it("deletes idempotently: a namespace already gone is success", async () => {
    const { id, outs } = await create({ namespace: "twice" });
    await remove(id, outs);
    await expect(remove(id, outs)).resolves.toBeUndefined();
    expect(emu.state.namespaces()).toEqual([]);
  });
});

describe("rename", () => {
  it("keeps trusted mode: PUT replaces the whole namespace, so the mode is always sent", async () => {
    const { id, outs } = await create({ namespace: "keep-mode", trustedWorkers: true });
    const { outs: renamed } = await update(id, outs, { namespace: "kept-mode", accountId: emu.accountId });
    expect(renamed).toMatchObject({ namespace: "kept-mode", namespaceId: id, trustedWorkers: true });
    expect(emu.state.namespace("kept-mode")?.trusted_workers).toBe(true);
  });
});
