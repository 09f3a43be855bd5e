/**
 * The TenantFleet provider against the emulator (no engine): what each step sends to Cloudflare for
 * a fleet of tenants sharing code, how little state it keeps, how a partial failure is reported so
 * the next `up` continues, how refresh reads the namespace by pages (and what the next preview then
 * says), what `changes` tells preview, `get` and the import option, and how a tenant moves between
 * the fleet and a standalone NamespacedWorkerScript without an upload or a delete.
 */
import { Struct, Value } from "google-protobuf/google/protobuf/struct_pb";
import type { Emulator } from "../../emulator";
import { providersIn } from "../../provider";
import type { ProviderCaches } from "../../provider/caches";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { planFromState } from "../../provider/fleet/plan";
import { tenantStatesOf } from "../../provider/fleet/states";
import { tenantFleetResource } from "../../provider/resources/tenant-fleet";
import type { TenantFleetInputs, TenantFleetOutputs as Outputs } from "../../provider/resources/tenant-fleet";
import type { TenantSpec } from "../../provider/fleet/spec";
import { namespacedWorkerScriptResource } from "../../provider/resources/namespaced-worker-script";
import { sdk } from "../emulator/helpers";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const NS = "fleet-tenants";
const CODE = 'export default { fetch(req, env) { return new Response("hello " + env.TENANT) } }';

const env = useProviderEmulator((e) => (emu = e));
// Each test is a provider process of its own: its own request policy, so one test's requests do not
// spend the next one's share of Cloudflare's window.
let fleet: ReturnType<typeof tenantFleetResource>;
let standalone: ReturnType<typeof namespacedWorkerScriptResource>;
let providers: ReturnType<typeof providersIn>;
let caches: ProviderCaches;
beforeEach(async () => {
  const context = providerContext(env);
  caches = context.caches;
  fleet = tenantFleetResource(context);
  standalone = namespacedWorkerScriptResource(context);
  providers = providersIn(context);
  await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: NS });
  emu.requests.clear();
});

const writes = () =>
  emu.requests
    .writes()
    .map((w) => `${w.method} ${w.path.replace(`/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/`, "")}`);
/** The tenants' states a step reported (state keeps them as one text). */
const states = (outs: Outputs) => tenantStatesOf(outs.scripts);
const names = (n: number) => Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(4, "0")}`);
const scriptPath = (name: string) => `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/${name}`;

/** A script uploaded by another client (a dashboard, wrangler): new code, no configuration. */
async function uploadOutsidePulumi(name: string): Promise<void> {
  const form = new FormData();
  form.append("metadata", new Blob([JSON.stringify({ main_module: "index.js" })], { type: "application/json" }));
  form.append(
    "index.js",
    new Blob(["export default { fetch() { return new Response('changed') } }"], { type: "application/javascript+module" }),
    "index.js",
  );
  await sdk(emu).put(scriptPath(name), { body: form });
}

/** A fleet's inputs as the sdk registers them: the specs under `__tenants` and `__defaults`. */
type Inputs = Omit<TenantFleetInputs, "__tenants" | "__defaults"> & { __tenants: Record<string, TenantSpec>; __defaults?: TenantSpec };

function inputs(tenantNames: string[], extra: Partial<Inputs> = {}): Inputs {
  return {
    namespace: NS,
    __defaults: { content: CODE, compatibilityDate: "2025-01-01" },
    __tenants: Object.fromEntries(tenantNames.map((t) => [t, { bindings: { TENANT: { type: "plain_text", text: t } }, tags: [t] }])),
    ...extra,
  };
}

async function checked(news: Inputs, olds: Partial<Inputs> = {}): Promise<Inputs> {
  const result = await fleet.check(olds, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as Inputs;
}

async function created(news: Inputs): Promise<{ news: Inputs; outs: Outputs }> {
  const c = await checked(news);
  const { outs } = await fleet.create(c);
  emu.requests.clear();
  return { news: c, outs: outs as Outputs };
}

describe("check", () => {
  it("names a bad tenant's property as tenants.<name>.<property>, and a bad tenant name", async () => {
    const bad = inputs(["good"], { __tenants: { good: {}, "Bad Name": {}, worse: { compatibilityDate: "2024-02-30" } } });
    const result = await fleet.check({}, bad);
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: "tenants.Bad Name", reason: expect.stringMatching(/must be 1-63 characters/) },
        { property: "tenants.worse.compatibilityDate", reason: expect.stringMatching(/not a calendar date/) },
      ]),
    );
  });

  it("refuses a tenant that is also released, and code that does not parse, naming the tenants sharing it", async () => {
    const result = await fleet.check({}, inputs(["a", "b"], { release: ["a"], __defaults: { content: "export default {" } }));
    expect(result.failures).toEqual([
      { property: "release", reason: "'a' is both a tenant and released: a released tenant leaves the fleet" },
    ]);
    const syntax = await fleet.check({}, inputs(["a", "b"], { __defaults: { content: "export default {" } }));
    expect(syntax.failures).toEqual([{ property: "tenants.a.content", reason: expect.stringMatching(/\(tenants a, b\)$/) }]);
  });

  it("refuses a tenant's bad assets and migrations by the rules of a NamespacedWorkerScript, naming the tenant", async () => {
    const site = await fleet.check({}, inputs(["site"], { __tenants: { site: { assets: { directory: "./no-such-directory" } } } }));
    expect(site.failures).toEqual([{ property: "tenants.site.assets", reason: expect.stringMatching(/no-such-directory/) }]);
    const counter = await fleet.check({}, inputs(["counter"], { __tenants: { counter: { migrations: { newClasses: ["Counter"] } } } }));
    expect(counter.failures).toEqual([
      { property: "tenants.counter.migrations", reason: expect.stringContaining("migrations.newTag is required") },
    ]);
  });

  it("takes a tenant registered as its JSON text as the same tenant as its object: switching forms changes nothing", async () => {
    const asObjects = inputs(names(3));
    const { news, outs } = await created(asObjects);
    const asText = {
      ...asObjects,
      __defaults: JSON.stringify(asObjects.__defaults),
      __tenants: Object.fromEntries(Object.entries(asObjects.__tenants).map(([n, t]) => [n, JSON.stringify(t)])),
    };
    const c = await checked(asText as unknown as Inputs, news);
    expect(c.changes).toBe("no changes to 3 tenants");
    expect((await fleet.diff("ns", outs, c)).changes).toBe(false);
    // A plain text binding written as its string (the sdk's shorthand in the text) is that binding.
    const shorthand = {
      ...asText.__tenants,
      "tenant-0002": JSON.stringify({ bindings: { TENANT: "tenant-0002" }, tags: ["tenant-0002"] }),
    };
    expect((await checked({ ...asText, __tenants: shorthand } as unknown as Inputs, news)).changes).toBe("no changes to 3 tenants");
    const changed = { ...asText.__tenants, "tenant-0001": JSON.stringify({ tags: ["moved"] }) };
    expect((await checked({ ...asText, __tenants: changed } as unknown as Inputs, news)).changes).toBe(
      "1 to update, 2 unchanged: update tenant-0001 (bindings.TENANT, tags)",
    );
  });

  it("refuses a tenant whose text is not a JSON object, naming the tenant", async () => {
    const result = await fleet.check({}, inputs(["a"], { __tenants: { a: "[1, 2]" } } as unknown as Partial<Inputs>));
    expect(result.failures).toEqual([
      { property: "tenants.a", reason: "tenants.a must be an object with the tenant's code and configuration" },
    ]);
  });

  it("summarizes what changes since the previous inputs in one line, naming the properties", async () => {
    const first = await checked(inputs(names(7)));
    expect(first.changes).toBe(
      "7 to create: create tenant-0000, tenant-0001, tenant-0002, tenant-0003, tenant-0004, tenant-0005, tenant-0006",
    );
    const next = inputs(names(7).slice(1));
    next.__tenants["tenant-0003"] = { ...next.__tenants["tenant-0003"], tags: ["moved"] };
    next.__tenants["tenant-0009"] = { content: CODE.replace("hello", "hi") };
    expect((await checked(next, first)).changes).toBe(
      "1 to create, 1 to update, 1 to delete, 5 unchanged: create tenant-0009; update tenant-0003 (tags); delete tenant-0000",
    );
    expect((await checked(inputs(names(7)), first)).changes).toBe("no changes to 7 tenants");
  });

  it("reads inputs whose `changes` an earlier release wrote (names before counts) as no change: the line is only what check says", async () => {
    const { news, outs } = await created(inputs(names(3)));
    const earlier = { ...news, changes: "3 to create: tenant-0000, tenant-0001, tenant-0002" };
    const c = await checked(inputs(names(3)), earlier);
    expect(c.changes).toBe("no changes to 3 tenants");
    expect((await fleet.diff("ns", outs, c)).changes).toBe(false);
  });
});

describe("create, update and delete", () => {
  it("uploads each tenant once and keeps under 300 bytes of state per tenant, without code or bindings", async () => {
    const { outs } = await created(inputs(names(1)));
    const c = await checked(inputs(names(40)));
    emu.requests.clear();
    const { outs: many } = await fleet.update("ns", outs, c);
    expect(writes()).toHaveLength(39);
    const perTenant = JSON.stringify((many as Outputs).scripts).length / 40;
    expect(perTenant).toBeLessThan(300);
    expect(JSON.stringify(many)).not.toContain("hello");
    expect(JSON.stringify(many)).not.toContain("plain_text");
    expect(() => Struct.fromJavaScript(many as never)).not.toThrow();
  });

  it("changes nothing when nothing changed: diff says no change", async () => {
    const { news, outs } = await created(inputs(names(5)));
    const again = await checked(inputs(names(5)), news);
    expect(await fleet.diff("ns", outs, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("keeps every tenant's state as one text: one value for the engine to encode, however many tenants", async () => {
    const { outs } = await created(inputs(names(3)));
    expect(typeof outs.scripts).toBe("string");
    const encoded = Struct.fromJavaScript(outs as never)
      .getFieldsMap()
      .get("scripts")!;
    expect(encoded.getKindCase()).toBe(Value.KindCase.STRING_VALUE);
    expect(Object.keys(states(outs))).toEqual(names(3));
    expect(states(outs)["tenant-0000"]).toEqual({ specHash: expect.any(String), etag: expect.any(String), modifiedOn: expect.any(String) });
  });

  it("reads state that holds the tenants' states as a map (written before the text form): no change, refresh and the next update write the text", async () => {
    const { news, outs } = await created(inputs(names(3)));
    const older = { ...outs, scripts: states(outs) };
    const again = await checked(inputs(names(3)), news);
    expect(await fleet.diff("ns", older, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await fleet.read("ns", older)).props).toEqual(outs);
    const next = inputs(names(3));
    next.__tenants["tenant-0002"].tags = ["moved"];
    const { outs: after } = await fleet.update("ns", older, await checked(next, news));
    expect(writes()).toEqual(["PUT tenant-0002/tags"]); // a change of tags alone: the tag call, no upload
    expect(typeof (after as Outputs).scripts).toBe("string");
    expect(Object.keys(states(after as Outputs))).toEqual(names(3));
  });

  it("uploads only the changed tenant and deletes only the removed one", async () => {
    const { news, outs } = await created(inputs(names(5)));
    const next = inputs(names(5).slice(1));
    next.__tenants["tenant-0002"].bindings = { TENANT: { type: "plain_text", text: "renamed" } };
    const c = await checked(next, news);
    expect((await fleet.diff("ns", outs, c)).changes).toBe(true);
    const { outs: after } = await fleet.update("ns", outs, c);
    expect(writes().sort()).toEqual(["DELETE tenant-0000", "PUT tenant-0002"]);
    expect(Object.keys(states(after as Outputs)).sort()).toEqual(names(5).slice(1));
  });

  it("builds each distinct code once for a change of the shared defaults, uploading every tenant", async () => {
    const { news, outs } = await created(inputs(names(4)));
    const c = await checked(
      inputs(names(4), { __defaults: { content: CODE.replace("hello", "hey"), compatibilityDate: "2025-01-01" } }),
      news,
    );
    expect(c.changes).toBe(
      "4 to update: update tenant-0000 (content), tenant-0001 (content), tenant-0002 (content), tenant-0003 (content)",
    );
    await fleet.update("ns", outs, c);
    expect(writes()).toHaveLength(4);
  });

  it("deletes every tenant at destroy, and a second destroy finds nothing to do", async () => {
    const { outs } = await created(inputs(names(3)));
    await fleet.remove("ns", outs);
    await fleet.remove("ns", outs);
    expect(await sdk(emu).workersForPlatforms.dispatch.namespaces.get(NS, { account_id: emu.accountId })).toMatchObject({
      script_count: 0,
    });
  });

  it("deletes every tenant at destroy with one list and one delete by the fleet's tag", async () => {
    const { outs } = await created(inputs(names(5)));
    emu.requests.clear();
    await fleet.remove("ns", outs);
    expect(writes()).toEqual([`DELETE /accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts`]);
    expect(emu.requests.filter({ method: "DELETE" }).map((e) => e.query)).toEqual(["tags=pulumi-tenant-fleet%3Ayes"]);
    expect(await sdk(emu).workersForPlatforms.dispatch.namespaces.get(NS, { account_id: emu.accountId })).toMatchObject({
      script_count: 0,
    });
  });

  it("deletes one by one while a script the fleet no longer owns carries its tag (a released tenant), and keeps that script", async () => {
    const { news, outs } = await created(inputs([...names(4), "mover"]));
    const { outs: released } = await fleet.update("ns", outs, await checked(inputs(names(4), { release: ["mover"] }), news));
    emu.requests.clear();
    await fleet.remove("ns", released as Outputs);
    expect(writes().sort()).toEqual(names(4).map((n) => `DELETE ${n}`));
    expect(emu.state.scripts(NS).map((s) => s.name)).toEqual(["mover"]);
  });

  it("deletes removed tenants one by one while others stay: the tag is shared", async () => {
    const { news, outs } = await created(inputs(names(5)));
    emu.requests.clear();
    await fleet.update("ns", outs, await checked(inputs(names(1)), news));
    expect(writes().sort()).toEqual(
      names(5)
        .slice(1)
        .map((n) => `DELETE ${n}`),
    );
  });
});

describe("a partial failure", () => {
  it("keeps the tenants that succeeded in the state it reports, so the next up uploads only the rest", async () => {
    const { outs } = await created(inputs([]));
    const c = await checked(inputs(names(6)));
    emu.faults.failNext(400, { method: "PUT", path: "/scripts/tenant-0004$", code: 10021, message: "injected refusal" });
    const failure = await fleet.update("ns", outs, c).then(
      () => undefined,
      (error: { id?: string; properties?: Outputs; reasons?: string[]; message: string }) => error,
    );
    expect(failure?.message).toMatch(/^1 of 6 tenant changes failed \(the 5 that succeeded are kept/);
    expect(failure?.id).toBe("ns");
    expect(failure?.reasons).toEqual([expect.stringMatching(/^tenant 'tenant-0004': .*injected refusal/)]);
    expect(Object.keys(states(failure!.properties!)).sort()).toEqual(names(6).filter((n) => n !== "tenant-0004"));

    emu.requests.clear();
    expect(planFromState(states(failure!.properties!), c, caches)).toMatchObject({ create: ["tenant-0004"], update: [], remove: [] });
    await fleet.update("ns", failure!.properties!, c);
    expect(writes()).toEqual(["PUT tenant-0004"]);
  });

  it("is reported through the Struct-safe wrapper the engine calls, its properties intact, with the serialized provider refresh needs", async () => {
    const c = await checked(inputs(names(2)));
    emu.faults.failNext(400, { method: "PUT", path: "/scripts/tenant-0001$", code: 10021 });
    const failure = await providers.TenantFleet.create({ ...c, __provider: "serialized provider" }).then(
      () => undefined,
      (error: { properties?: Outputs & { __provider?: string } }) => error,
    );
    expect(Object.keys(states(failure!.properties!))).toEqual(["tenant-0000"]);
    expect(failure!.properties!.__provider).toBe("serialized provider");
    expect(() => Struct.fromJavaScript(failure!.properties as never)).not.toThrow();
  });
});

describe("refresh", () => {
  it("reads the namespace a page of 1000 scripts at a time, not a request per tenant", async () => {
    const { outs } = await created(inputs(names(1001)));
    const read = await fleet.read("ns", outs);
    const lists = emu.requests.filter({ method: "GET" }).filter((e) => e.path.endsWith(`/namespaces/${NS}/scripts`));
    expect(lists).toHaveLength(2);
    expect(emu.requests.count()).toBeLessThanOrEqual(2 + 3);
    expect(read.props).toEqual(outs);
    expect(read.inputs).toBeUndefined(); // nothing changed outside Pulumi: the stored inputs stay
  }, 300_000); // a thousand and one uploads to set up, on a machine that may be busy

  it("marks a tenant uploaded outside Pulumi as drifted, so the next preview names it and the next up uploads it again", async () => {
    const { outs } = await created(inputs(names(3)));
    await uploadOutsidePulumi("tenant-0001");
    const read = await providers.TenantFleet.read!("ns", outs);
    const refreshed = read.props as Outputs;
    expect(states(refreshed)["tenant-0001"].drifted).toBe(true);
    expect(states(refreshed)["tenant-0000"].drifted).toBeUndefined();
    emu.requests.clear();
    // The engine stores read's inputs in place of the last up's, and hands them to the next check as olds.
    const c = await checked(inputs(names(3)), read.inputs as Partial<Inputs>);
    expect(c.changes).toBe("1 to update, 2 unchanged: update tenant-0001 (changed outside Pulumi)");
    expect((await fleet.diff("ns", refreshed, c)).changes).toBe(true);
    await fleet.update("ns", refreshed, c);
    expect(writes()).toEqual(["PUT tenant-0001"]);
  });

  it("replaces the stored inputs only when something changed outside Pulumi: where the fleet is, its credentials, and the states as a secret, no spec", async () => {
    const { outs } = await created(inputs(names(2), { apiToken: emu.apiToken }));
    expect((await fleet.read("ns", outs)).inputs).toBeUndefined();
    await uploadOutsidePulumi("tenant-0000");
    const read = await providers.TenantFleet.read!("ns", outs);
    const refreshedInputs = read.inputs as Record<string, unknown>;
    expect(Object.keys(refreshedInputs).sort()).toEqual(["__refreshed", "accountId", "apiToken", "namespace"]);
    expect(refreshedInputs).toMatchObject({ namespace: NS, accountId: emu.accountId, apiToken: emu.apiToken });
    // The secret signature of the Node SDK's wire format: the engine stores the states encrypted, as it does `scripts`.
    expect(refreshedInputs.__refreshed).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: (read.props as Outputs).scripts,
    });
    expect(() => Struct.fromJavaScript(refreshedInputs as never)).not.toThrow();
  });

  it("after a refresh, describes exactly what up writes: a script deleted outside Pulumi, one changed outside, one whose spec changed", async () => {
    const { outs } = await created(inputs(names(4)));
    await sdk(emu).delete(scriptPath("tenant-0000"));
    await uploadOutsidePulumi("tenant-0001");
    const read = await fleet.read("ns", outs);
    expect(Object.keys(states(read.props as Outputs))).toEqual(["tenant-0001", "tenant-0002", "tenant-0003"]);
    const next = inputs(names(4));
    next.__tenants["tenant-0002"].tags = ["moved"];
    // The engine hands a provider that takes no secrets their values: the states text itself.
    const olds = { ...read.inputs, __refreshed: (read.props as Outputs).scripts } as Partial<Inputs>;
    const c = await checked(next, olds);
    expect(c.changes).toBe(
      "1 to create, 2 to update, 1 unchanged: create tenant-0000; update tenant-0001 (changed outside Pulumi), tenant-0002 (changed)",
    );
    emu.requests.clear();
    await fleet.update("ns", read.props as Outputs, c);
    expect(writes().sort()).toEqual(["PUT tenant-0000", "PUT tenant-0001", "PUT tenant-0002"]);
  });
});

describe("what preview shows", () => {
  it("names each changed tenant with the paths of the properties that changed, and counts the unchanged ones", async () => {
    const first = await checked(inputs(names(10)));
    const next = inputs(names(10));
    next.__tenants["tenant-0003"].bindings = { TENANT: { type: "plain_text", text: "renamed" }, PLAN: { type: "plain_text", text: "pro" } };
    next.__tenants["tenant-0005"] = { ...next.__tenants["tenant-0005"], limits: { cpuMs: 20 }, compatibilityFlags: ["nodejs_compat"] };
    const c = await checked(next, first);
    expect(c.changes).toBe(
      "2 to update, 8 unchanged: update tenant-0003 (bindings.PLAN, bindings.TENANT), tenant-0005 (compatibilityFlags, limits)",
    );
  });

  it("names at most 20 tenants of a kind, then how many more, however large the fleet", async () => {
    const first = await checked(inputs(names(50)));
    const next = inputs(names(50));
    for (const name of names(30)) next.__tenants[name].tags = ["moved"];
    const { changes } = await checked(next, first);
    expect(changes).toMatch(/^30 to update, 20 unchanged: update tenant-0000 \(tags\), .*tenant-0019 \(tags\) and 10 more$/);
    expect(changes!.match(/\(tags\)/g)).toHaveLength(20);
  });

  it("names a secret binding that changed, never its value", async () => {
    const secretOf = (text: string) => ({ secretBindings: { API_KEY: { type: "secret_text", text } } }) as TenantSpec;
    const first = await checked(inputs(names(2), { __tenants: { "tenant-0000": secretOf("first-s3cr3t"), "tenant-0001": {} } }));
    const c = await checked(inputs(names(2), { __tenants: { "tenant-0000": secretOf("second-s3cr3t"), "tenant-0001": {} } }), first);
    expect(c.changes).toBe("1 to update, 1 unchanged: update tenant-0000 (secretBindings.API_KEY)");
    expect(c.changes).not.toMatch(/s3cr3t/);
  });

  it("reads inputs written by earlier releases (the specs as tenants and defaults) as the same fleet: no change", async () => {
    const { news, outs } = await created(inputs(names(3)));
    const { __tenants, __defaults, ...rest } = news;
    const earlier = { ...rest, tenants: __tenants, defaults: __defaults } as Partial<Inputs>;
    const again = await checked(inputs(names(3)), earlier);
    expect(again.changes).toBe("no changes to 3 tenants");
    expect(await fleet.diff("ns", outs, again)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const next = inputs(names(3));
    next.__tenants["tenant-0001"].tags = ["moved"];
    expect((await checked(next, earlier)).changes).toBe("1 to update, 2 unchanged: update tenant-0001 (tags)");
  });
});

describe("get: a namespace read as a fleet, from its id alone", () => {
  it("reports every script of the namespace as a tenant, from one list request per 1000 scripts", async () => {
    await created(inputs(names(2)));
    await uploadOutsidePulumi("not-a-tenant");
    emu.requests.clear();
    const read = await providers.TenantFleet.read!(NS, {});
    expect(read.id).toBe(NS);
    expect(read.props).toMatchObject({ namespace: NS, accountId: emu.accountId });
    const tenants = states(read.props as Outputs);
    expect(Object.keys(tenants).sort()).toEqual(["not-a-tenant", ...names(2)]);
    expect(tenants["not-a-tenant"]).toEqual({ specHash: "", etag: expect.any(String), modifiedOn: expect.any(String) });
    expect(read.inputs).toBeUndefined();
    expect(emu.requests.filter({ method: "GET" }).filter((e) => e.path.endsWith(`/namespaces/${NS}/scripts`))).toHaveLength(1);
    expect(await fleet.read("nowhere", {})).toEqual({});
  });
});

describe("the import option", () => {
  it("takes an existing namespace's scripts into a new fleet with no write when they match, saying so at preview", async () => {
    await created(inputs(names(3)));
    emu.requests.clear();
    const c = await checked({ ...inputs(names(4)), importFrom: NS });
    expect(c.changes).toBe(
      "3 to import, 1 to create: import (adopted where identical, else uploaded) tenant-0000, tenant-0001, tenant-0002; create tenant-0003",
    );
    const { outs } = await fleet.create(c);
    expect(writes()).toEqual(["PUT tenant-0003"]);
    expect(Object.keys(states(outs as Outputs))).toEqual(names(4));
  });

  it("fails at preview for a namespace that does not exist, naming the option; and for an id naming another namespace than `namespace`", async () => {
    const missing = await fleet.check({}, { ...inputs(names(1)), namespace: "nowhere", importFrom: "nowhere" });
    expect(missing.failures).toEqual([
      {
        property: "import",
        reason: expect.stringMatching(/^the import option names dispatch namespace 'nowhere', which does not exist in account /),
      },
    ]);
    const other = await fleet.check({}, { ...inputs(names(1)), importFrom: "other" });
    expect(other.failures).toEqual([
      { property: "namespace", reason: `the import id 'other' names a different namespace than namespace '${NS}'` },
    ]);
  });

  it("does not look at the namespace again once the fleet is in state", async () => {
    const { news } = await created(inputs(names(1)));
    emu.requests.clear();
    const c = await checked({ ...inputs(names(1)), importFrom: NS }, news);
    expect(c.changes).toBe("no changes to 1 tenants");
    expect(emu.requests.filter({ method: "GET" }).filter((e) => e.path.includes("/scripts"))).toEqual([]);
  });
});

describe("moving a tenant between the fleet and a standalone NamespacedWorkerScript", () => {
  const spec = { bindings: { TENANT: { type: "plain_text" as const, text: "mover" } }, tags: ["mover"] };

  it("adopts a script the standalone resource left behind, with no upload, when code and configuration match", async () => {
    const solo = await standalone.check(
      {},
      { namespace: NS, scriptName: "mover", content: CODE, compatibilityDate: "2025-01-01", ...spec },
    );
    await standalone.create(solo.inputs as never);
    const { outs } = await created(inputs(["tenant-0000"]));
    const next = inputs(["tenant-0000"]);
    next.__tenants.mover = spec;
    await fleet.update("ns", outs, await checked(next));
    expect(writes()).toEqual([]);
  });

  it("uploads a script that exists with other configuration instead of adopting it", async () => {
    const solo = await standalone.check(
      {},
      { namespace: NS, scriptName: "mover", content: CODE, compatibilityDate: "2025-01-01", tags: ["other"] },
    );
    await standalone.create(solo.inputs as never);
    emu.requests.clear();
    const next = inputs([]);
    next.__tenants.mover = spec;
    await fleet.create(await checked(next));
    expect(writes()).toEqual(["PUT mover"]);
  });

  it("forgets a released tenant without deleting the script the standalone resource now owns", async () => {
    const { news, outs } = await created(inputs(["tenant-0000", "mover"]));
    const c = await checked(inputs(["tenant-0000"], { release: ["mover"] }), news);
    expect(c.changes).toBe("1 to release, 1 unchanged: release (kept in Cloudflare) mover");
    const { outs: after } = await fleet.update("ns", outs, c);
    expect(writes()).toEqual([]);
    expect(Object.keys(states(after as Outputs))).toEqual(["tenant-0000"]);
    const solo = await standalone.check(
      {},
      { namespace: NS, scriptName: "mover", content: CODE, compatibilityDate: "2025-01-01", ...spec, importFrom: `${NS}/mover` },
    );
    expect(solo.failures).toBeUndefined();
  });
});

describe("unknown inputs at preview", () => {
  it("make only the tenant that holds them change, at any depth", async () => {
    const { news, outs } = await created(inputs(names(3)));
    for (const unknownSpec of [
      UNKNOWN,
      { bindings: UNKNOWN },
      { bindings: { TENANT: UNKNOWN } },
      { bindings: { TENANT: { type: "plain_text", text: UNKNOWN } } },
      { content: UNKNOWN },
    ]) {
      const next = inputs(names(3));
      next.__tenants["tenant-0001"] = unknownSpec as never;
      const c = await checked(next, news);
      expect(() => Struct.fromJavaScript(c as never)).not.toThrow();
      expect((await fleet.diff("ns", outs, c)).changes).toBe(true);
      expect(planFromState(states(outs), c, caches)).toMatchObject({
        create: [],
        update: ["tenant-0001"],
        unchanged: ["tenant-0000", "tenant-0002"],
      });
    }
    expect(emu.requests.writes()).toHaveLength(0);
  });

  it("in the whole map, the defaults or the namespace change the fleet without a failure", async () => {
    const { news, outs } = await created(inputs(names(2)));
    for (const extra of [
      { __tenants: UNKNOWN },
      { __defaults: UNKNOWN },
      { __defaults: { content: CODE, compatibilityDate: UNKNOWN } },
      { namespace: UNKNOWN },
      { release: UNKNOWN },
    ]) {
      const c = await checked(inputs(names(2), extra as never), news);
      const d = await fleet.diff("ns", outs, c);
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual("namespace" in extra ? ["namespace"] : []);
    }
  });
});
