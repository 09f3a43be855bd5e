/**
 * What the providers do when the network lies: a create applied but answered into the void, a
 * namespace that reads as missing right after it was created, a delete of something already gone.
 * Called directly against the emulator (no engine); the engine specs repeat the important ones.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { RequestPolicy, settingsFromEnvironment } from "../../provider/cloudflare/request-policy";
import { ProviderContext } from "../../provider/context";
import type { ResourceMethods } from "../../provider/framework/resource-methods";
import { type DispatchNamespaceOutputs, dispatchNamespaceResource } from "../../provider/resources/dispatch-namespace";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type { NamespacedWorkerScriptOutputs } from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";

let emu: Emulator;
const HELLO = 'export default { fetch() { return new Response("hello") } }';

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

/** Each test is a provider process of its own: a context whose retries back off in milliseconds. */
let context: ProviderContext;
let namespaces: ResourceMethods;
let scripts: ResourceMethods;
beforeEach(() => {
  emu.reset();
  context = new ProviderContext({
    env: emu.env,
    policy: new RequestPolicy({ ...settingsFromEnvironment({}), baseDelayMs: 5, maxDelayMs: 20, report: () => undefined }),
  });
  namespaces = dispatchNamespaceResource(context);
  scripts = namespacedWorkerScriptResource(context);
});

const posts = () => emu.requests.filter({ method: "POST" }).map((e) => e.fault?.kind ?? e.status);

describe("creating a dispatch namespace whose answer is lost after Cloudflare applied it", () => {
  it("succeeds with the namespace it created, not a second one, and does not call it adopted", async () => {
    emu.faults.dropNext({ method: "POST", path: "/dispatch/namespaces$", afterApply: true });
    const { id, outs } = await namespaces.create({ namespace: "lost-answer" });
    expect(posts()).toEqual(["drop-after", 400]); // the retry was told "already exists"
    expect(emu.state.namespaces().map((n) => n.namespace_id)).toEqual([id]);
    expect(outs).toMatchObject({ namespace: "lost-answer", adopted: false });
  });

  it("also when the new namespace is not yet visible to reads", async () => {
    emu.faults.dropNext({ method: "POST", afterApply: true }).setVisibilityDelay(600);
    const { id } = await namespaces.create({ namespace: "slow-to-appear" });
    expect(emu.state.namespaces().map((n) => n.namespace_id)).toEqual([id]);
  });

  it("also when the first attempt was answered 502 after the change was made elsewhere", async () => {
    // A gateway error says nothing about whether the origin applied the request.
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "gateway-lost" });
    emu.requests.clear();
    emu.faults.failNext(502, { method: "POST" });
    const { id } = await namespaces.create({ namespace: "gateway-lost" });
    expect(emu.state.namespaces().map((n) => n.namespace_id)).toEqual([id]);
  });
});

describe("creating a dispatch namespace that someone else already has", () => {
  beforeEach(async () => {
    await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "taken" });
    emu.requests.clear();
  });

  it("fails when every earlier attempt was definitely refused (a 429 changes nothing)", async () => {
    emu.faults.failNext(429, { method: "POST", retryAfterSeconds: 0 });
    await expect(namespaces.create({ namespace: "taken" })).rejects.toThrow(
      /creating dispatch namespace 'taken'.*already exists.*adopt: true/,
    );
  });

  it("fails without any fault at all", async () => {
    await expect(namespaces.create({ namespace: "taken" })).rejects.toThrow(/already exists/);
    expect(posts()).toEqual([400]);
  });
});

describe("uploading a tenant script", () => {
  const inputs = { namespace: "tenants", scriptName: "tenant-a", content: HELLO, compatibilityDate: "2024-09-23" };
  const scriptPuts = () => emu.requests.filter({ method: "PUT", path: /\/scripts\/tenant-a$/ }).map((e) => e.fault?.kind ?? e.status);

  it("is an upsert: a response lost after the upload is retried into the same single script", async () => {
    await namespaces.create({ namespace: "tenants" });
    emu.faults.dropNext({ method: "PUT", path: "/scripts/tenant-a$", afterApply: true });
    await scripts.create(inputs);
    expect(scriptPuts()).toEqual(["drop-after", 200]);
    expect(emu.state.scripts("tenants").map((s) => s.name)).toEqual(["tenant-a"]);
  });

  it("waits out a namespace that is not yet visible right after its creation", async () => {
    emu.faults.setVisibilityDelay(800);
    await namespaces.create({ namespace: "tenants" });
    await scripts.create(inputs);
    expect(scriptPuts()[0]).toBe(404);
    expect(scriptPuts().at(-1)).toBe(200);
    expect(emu.state.script("tenants", "tenant-a")).toBeDefined();
  });

  it("fails after the bounded wait when the namespace it just created stays invisible", async () => {
    context.visibility.boundMs = 300;
    emu.faults.setVisibilityDelay(60_000);
    await namespaces.create({ namespace: "tenants" });
    await expect(scripts.create(inputs)).rejects.toThrow(
      /uploading worker script 'tenant-a' in dispatch namespace 'tenants'.*HTTP 404, code 100119.*does not exist.*still not found 0.3 s after it was created/,
    );
  });

  it("fails at once when the namespace was not created by this process: it is most likely misnamed", async () => {
    await expect(scripts.create({ ...inputs, namespace: "typo" })).rejects.toThrow(
      /HTTP 404, code 100119.*'typo' does not exist: create it first/,
    );
    expect(scriptPuts()).toEqual([404]); // one upload, no waiting
  });
});

describe("deleting something already gone", () => {
  it("succeeds for a script and for a namespace", async () => {
    const ns = await namespaces.create({ namespace: "short-lived" });
    const script = await scripts.create({ namespace: "short-lived", scriptName: "gone", content: HELLO, compatibilityDate: "2024-09-23" });
    await sdk(emu).workersForPlatforms.dispatch.namespaces.delete("short-lived", { account_id: emu.accountId });
    await expect(scripts.remove(script.id, script.outs as NamespacedWorkerScriptOutputs)).resolves.toBeUndefined();
    await expect(namespaces.remove(ns.id, ns.outs as DispatchNamespaceOutputs)).resolves.toBeUndefined();
  });

  it("succeeds when the delete's own answer was lost after it was applied", async () => {
    const ns = await namespaces.create({ namespace: "answer-lost" });
    emu.faults.dropNext({ method: "DELETE", afterApply: true });
    await namespaces.remove(ns.id, ns.outs as DispatchNamespaceOutputs);
    expect(emu.requests.filter({ method: "DELETE" }).map((e) => e.fault?.kind ?? e.status)).toEqual(["drop-after", 404]);
    expect(emu.state.namespaces()).toEqual([]);
  });
});
