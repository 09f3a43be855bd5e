/**
 * Durable Object migrations of a tenant script (`migrations`), called directly against the emulator:
 * sent once per tag, never resent after they ran, a new tag is an update in place, and bad input fails
 * at preview naming the property and the rule.
 */
import { type Emulator } from "../../emulator";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import type { NamespacedWorkerScriptInputs, NamespacedWorkerScriptOutputs } from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const NS = "tenants";
const COUNTER =
  'import { DurableObject } from "cloudflare:workers"; export class Counter extends DurableObject {} export default { fetch() { return new Response("ok") } }';

const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const tenant = namespacedWorkerScriptResource(context);
beforeEach(() => sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS }));

const uploads = () => emu.requests.writes().filter((w) => w.path.endsWith("/scripts/counter"));
const stored = () => emu.state.script(NS, "counter")!;

async function checked(extra: Partial<NamespacedWorkerScriptInputs>): Promise<NamespacedWorkerScriptInputs> {
  const result = await tenant.check({}, { namespace: NS, scriptName: "counter", content: COUNTER, ...extra });
  expect(result.failures).toBeUndefined();
  return result.inputs as NamespacedWorkerScriptInputs;
}

describe("NamespacedWorkerScript migrations", () => {
  it("are sent with the first upload, and the script's migration tag becomes the migrationTag output", async () => {
    const news = await checked({ migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } });
    const { outs } = await tenant.create(news);
    expect((stored().metadata as Record<string, unknown>).migrations).toEqual({ new_tag: "v1", new_sqlite_classes: ["Counter"] });
    expect(outs).toMatchObject({ migrationTag: "v1" });
    expect(uploads()).toHaveLength(1);
  });

  it("that ran are not sent again: a code change re-uploads without them, and unchanged migrations show no diff", async () => {
    const news = await checked({ migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } });
    const { outs } = await tenant.create(news);
    expect((await tenant.diff("tenants/counter", outs as NamespacedWorkerScriptOutputs, news)).changes).toBe(false);
    const changedCode = await checked({ content: COUNTER.replace('"ok"', '"ok!"'), migrations: news.migrations });
    await tenant.update("tenants/counter", outs as NamespacedWorkerScriptOutputs, changedCode);
    expect((stored().metadata as Record<string, unknown>).migrations).toBeUndefined();
    expect(stored()).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Counter"] });
  });

  it("a new tag with the next step is an update in place that sends it, checked by Cloudflare against the current tag", async () => {
    const first = await checked({ migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } });
    const { outs } = await tenant.create(first);
    const next = await checked({ migrations: { oldTag: "v1", newTag: "v2", renamedClasses: [{ from: "Counter", to: "Tally" }] } });
    expect(await tenant.diff("tenants/counter", outs as NamespacedWorkerScriptOutputs, next)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const { outs: after } = await tenant.update("tenants/counter", outs as NamespacedWorkerScriptOutputs, next);
    expect(after).toMatchObject({ migrationTag: "v2" });
    expect(stored()).toMatchObject({ migration_tag: "v2", durable_object_classes: ["Tally"] });
  });

  it("an oldTag that is not the script's tag fails the update with Cloudflare's 10079 and the input to fix", async () => {
    const { outs } = await tenant.create(await checked({ migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } }));
    const wrong = await checked({ migrations: { oldTag: "v7", newTag: "v8", deletedClasses: ["Counter"] } });
    await expect(tenant.update("tenants/counter", outs as NamespacedWorkerScriptOutputs, wrong)).rejects.toThrow(
      /10079.*Migration tag precondition failed; current tag is v1/s,
    );
  });

  it.each([
    [{ newSqliteClasses: ["Counter"] }, "migrations.newTag is required"],
    [
      { newTag: "v1", newClasses: ["my-counter"] },
      "migrations.newClasses[0] must be a class name (a JavaScript identifier exported by the Worker)",
    ],
    [{ newTag: "v1", newClasses: ["A"], steps: [] }, "migrations: give either steps or newClasses at the top level, not both"],
    [
      { newTag: "v1", transferredClasses: [{ from: "A", to: "B" }] },
      "migrations.transferredClasses[0].fromScript must name the Worker the class comes from",
    ],
    [{ oldTag: "v1", newTag: "v1" }, "migrations.oldTag and newTag are both 'v1'"],
  ])("refuses %j at preview, naming migrations and the rule", async (migrations, rule) => {
    const result = await tenant.check({}, { namespace: NS, scriptName: "counter", content: COUNTER, migrations });
    expect(result.failures).toEqual([{ property: "migrations", reason: expect.stringContaining(rule) }]);
    expect(emu.requests.writes()).toHaveLength(1); // the namespace this spec created, nothing else
  });
});
