/**
 * The shipped multi-tenant example (examples/multi-tenant) under the real engine: the dispatcher is
 * wired to the namespace and the KV namespace through the dependency graph, so creation, renames and
 * destruction happen in dependency order — asserted from the order of the emulator's request log —
 * and what it deploys really routes requests from the edge through the router to each tenant.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, edgeRequest, startEmulator } from "../../emulator";
import { TestStack } from "./harness/test-stack";

jest.setTimeout(400_000);

let emu: Emulator;
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator({ edge: { port: 0 } }); // the edge runs what is deployed, in workerd
  stack = await TestStack.create({ program: "examples/multi-tenant", env: { ...emu.env } });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

const a = () => `/accounts/${emu.accountId}`;
const writes = () => emu.requests.writes().map((r) => `${r.method} ${r.path}`);
/** Position of the first write matching `pattern` in the log (fails the test if there is none). */
function indexOf(pattern: RegExp): number {
  const i = writes().findIndex((w) => pattern.test(w));
  if (i < 0) throw new Error(`no write matches ${pattern}: ${JSON.stringify(writes(), null, 2)}`);
  return i;
}

describe("the multi-tenant example", () => {
  it("goes up in dependency order: namespace and KV before the tenants and the router, the route after the router", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(writes()).toHaveLength(6);
    const namespace = indexOf(/^POST .*\/workers\/dispatch\/namespaces$/);
    const kv = indexOf(/^POST .*\/storage\/kv\/namespaces$/);
    const router = indexOf(/^PUT .*\/workers\/scripts\/platform-router$/);
    const route = indexOf(/^POST \/zones\/[0-9a-f]{32}\/workers\/routes$/);
    for (const tenant of ["customer-a-worker", "customer-b-worker"]) {
      expect(indexOf(new RegExp(`^PUT .*/dispatch/namespaces/customer-workers/scripts/${tenant}$`))).toBeGreaterThan(namespace);
    }
    expect(router).toBeGreaterThan(namespace);
    expect(router).toBeGreaterThan(kv);
    expect(route).toBeGreaterThan(router);

    const kvId = emu.state.kvNamespaces()[0].id;
    const dispatcher = emu.state.accountScript("platform-router")!;
    // The dispatch_namespace binding exactly as Cloudflare documents it.
    expect((dispatcher.metadata as { bindings: unknown }).bindings).toEqual([
      { name: "TENANT_DATA", type: "kv_namespace", namespace_id: kvId },
      { name: "TENANT_NAMESPACE", type: "dispatch_namespace", namespace: "customer-workers" },
    ]);
    expect(emu.state.routes().map((r) => [r.pattern, r.script])).toEqual([["*.platform.example.com/*", "platform-router"]]);
    const tenantA = emu.state.script("customer-workers", "customer-a-worker")!;
    expect((tenantA.metadata as { bindings: unknown }).bindings).toEqual([
      { name: "CONFIG", type: "json", json: { customerId: "customer-a", features: ["feature1", "feature2"] } },
    ]);
    expect(up.outputs.tenantScripts.value).toEqual(["customer-a-worker", "customer-b-worker"]);
  });

  it("previews clean afterwards", async () => {
    emu.requests.clear();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 6 });
    expect(writes()).toEqual([]);
  });

  it("answers through the edge: the route reaches the router, which dispatches to each tenant", async () => {
    const get = (tenant: string) => edgeRequest(emu.edge!, `${tenant}.platform.example.com`, "/orders");
    const a = await get("customer-a");
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toEqual({
      customer: "customer-a",
      features: ["feature1", "feature2"],
      path: "/orders",
      message: "Hello from customer-a!",
    });
    expect(a.headers["x-tenant"]).toBe("customer-a");
    expect(JSON.parse((await get("customer-b")).text)).toMatchObject({ customer: "customer-b", features: ["feature1", "feature3"] });
    const unknown = await get("customer-z");
    expect(unknown).toMatchObject({ status: 404, text: "no tenant named 'customer-z'\n" });
  });

  it("serves new tenant code on the next request after an up that changed it", async () => {
    const worker = path.join(stack.dir, "src", "tenant-worker.ts");
    fs.writeFileSync(worker, fs.readFileSync(worker, "utf8").replace("Hello from", "Welcome back,"));
    emu.requests.clear();
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4, update: 2 }); // both tenants share the entrypoint
    expect(writes().filter((w) => w.startsWith("PUT"))).toHaveLength(2);
    const a = await edgeRequest(emu.edge!, "customer-a.platform.example.com", "/");
    expect(JSON.parse(a.text).message).toBe("Welcome back, customer-a!");
  });

  it("renames the namespace and the router's binding in one up, in that order, without touching the tenants", async () => {
    await stack.setConfig({ namespace: "customer-workers-v2" });
    const preview = await stack.preview();
    expect(preview.output).toMatch(/namespace\s*:\s*"customer-workers"\s*=>\s*"customer-workers-v2"/);
    emu.requests.clear();
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(writes()).toEqual([`PUT ${a()}/workers/dispatch/namespaces/customer-workers`, `PUT ${a()}/workers/scripts/platform-router`]);
    const binding = (emu.state.accountScript("platform-router")!.metadata as { bindings: Array<{ name: string }> }).bindings.find(
      (b) => b.name === "TENANT_NAMESPACE",
    );
    expect(binding).toEqual({ name: "TENANT_NAMESPACE", type: "dispatch_namespace", namespace: "customer-workers-v2" });
    expect(
      emu.state
        .scripts("customer-workers-v2")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["customer-a-worker", "customer-b-worker"]);
    // And the renamed wiring still routes.
    expect((await edgeRequest(emu.edge!, "customer-b.platform.example.com", "/")).status).toBe(200);
    emu.requests.clear();
    expect((await stack.preview()).changeSummary).toEqual({ same: 6 });
  });

  it("destroys in reverse order: route and router before what they bind, tenants before their namespace", async () => {
    emu.requests.clear();
    await stack.destroy();
    const namespace = indexOf(/^DELETE .*\/workers\/dispatch\/namespaces\/customer-workers-v2$/);
    const kv = indexOf(/^DELETE .*\/storage\/kv\/namespaces\/[0-9a-f]{32}$/);
    const router = indexOf(/^DELETE .*\/workers\/scripts\/platform-router/);
    const route = indexOf(/^DELETE \/zones\/.*\/workers\/routes\//);
    expect(route).toBeLessThan(router);
    expect(router).toBeLessThan(namespace);
    expect(router).toBeLessThan(kv);
    for (const tenant of ["customer-a-worker", "customer-b-worker"]) {
      expect(indexOf(new RegExp(`^DELETE .*/scripts/${tenant}`))).toBeLessThan(namespace);
    }
    expect(emu.state.namespaces()).toEqual([]);
    expect(emu.state.accountScripts()).toEqual([]);
    expect(emu.state.kvNamespaces()).toEqual([]);
    expect(emu.state.routes()).toEqual([]);
  });
});
