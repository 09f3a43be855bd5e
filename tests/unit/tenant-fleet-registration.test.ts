/**
 * What a TenantFleet registers per tenant: its spec as one JSON text, its bindings in their compact
 * form. A tenant of plain values is encoded on the spot, with no Output (ten thousand of them cost
 * the program nothing per tenant); tenants whose bindings are Outputs are registered as one Output
 * of all their texts, which keeps every binding's dependencies, a tenant not known yet at preview
 * unknown in it (and only that tenant), and its secret bindings in one secret text for all tenants.
 * The specs are registered under `__`-prefixed names, which the CLI's display does not print.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as runtimeResource from "@pulumi/pulumi/runtime/resource";
import { specOfText } from "../../provider/fleet/packed-spec";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { parsedSecrets, tenantSecretsOf } from "../../provider/fleet/tenant-secrets";
import { recordRegistrations } from "./registrations";

// What the provider answers as `scripts` for these fleets: the text it writes (a line per tenant), and the map older state holds.
const STATE = {
  "customer-a": { specHash: "5f1e", etag: "e1", modifiedOn: "2026-11-29T00:00:00Z" },
  "customer-b": { specHash: "77aa", etag: "e2", modifiedOn: "2026-11-29T00:00:01Z", drifted: true },
};
const STORED: Record<string, unknown> = {
  "stored-as-text": "customer-a 5f1e e1 2026-11-29T00:00:00Z\ncustomer-b 77aa e2 2026-11-29T00:00:01Z drifted",
  "stored-as-map": STATE,
};
// The KV namespace the helper-written tenants bind: known at this preview (it exists already).
const KV_ID = "0f2ac74b498b48028cb68387c421e279";

/** What the mocked engine was asked for, registrations and reads alike. */
const mocked: pulumi.runtime.MockResourceArgs[] = [];

void pulumi.runtime.setMocks(
  {
    newResource: (args) => (
      mocked.push(args),
      {
        id: args.id ?? `${args.name}-id`,
        state: {
          ...args.inputs,
          ...(STORED[args.name] === undefined ? {} : { scripts: STORED[args.name] }),
          ...(args.name === "existing-data" ? { namespaceId: KV_ID } : {}),
        },
      }
    ),
    call: () => ({}),
  },
  "wfp",
  "test",
  true, // a preview: what is not known yet stays unknown
);

const registered = recordRegistrations();

const wfp: typeof import("../../sdk") = require("../../sdk");

const tenantsOf = (name: string) => registered.get(name)!.__tenants as Record<string, unknown>;

/** Every tenant's registered text: the map as registered, or the value of the one Output registered for it. */
async function textsOf(name: string): Promise<Record<string, string>> {
  const registeredTenants = registered.get(name)!.__tenants as pulumi.Output<Record<string, string>> | Record<string, string>;
  return pulumi.Output.isInstance(registeredTenants) ? valueOf(registeredTenants) : registeredTenants;
}

/** What the engine received for a resource's input, once the Node SDK serialized it. */
const receivedInput = (name: string, input: string) => mocked.find((args) => args.name === name)!.inputs[input] as Record<string, unknown>;

/** The resource options the Node SDK was handed with a resource's registration (registerResource's ninth argument). */
function optionsOf(name: string): pulumi.CustomResourceOptions {
  const runtime: typeof runtimeResource = require("@pulumi/pulumi/runtime/resource");
  const calls = (runtime.registerResource as unknown as jest.Mock).mock.calls as Parameters<typeof runtime.registerResource>[];
  return calls.find((args) => args[3] === name)![8];
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("a TenantFleet of plain tenants", () => {
  beforeAll(() => {
    new wfp.TenantFleet("plain", {
      namespace: "customers",
      defaults: { content: "export default {}", compatibilityDate: "2025-01-01" },
      tenants: {
        "customer-a": { bindings: { PLAN: "pro", LIMITS: { type: "json", json: { rps: 10 } } }, tags: ["plan-pro"] },
        "customer-b": {},
      },
    });
  });

  it("registers each tenant as JSON text right away, a plain text binding kept as its string and a JSON binding as { json }", () => {
    const tenants = tenantsOf("plain");
    expect(typeof tenants["customer-a"]).toBe("string");
    expect(JSON.parse(tenants["customer-a"] as string)).toEqual({
      bindings: { PLAN: "pro", LIMITS: { json: { rps: 10 } } },
      tags: ["plan-pro"],
    });
    expect(JSON.parse(tenants["customer-b"] as string)).toEqual({});
  });

  it("registers texts the provider reads back as the bindings in Cloudflare's shape", () => {
    expect(specOfText(tenantsOf("plain")["customer-a"] as string)).toEqual({
      bindings: { PLAN: { type: "plain_text", text: "pro" }, LIMITS: { type: "json", json: { rps: 10 } } },
      tags: ["plan-pro"],
    });
  });

  it("registers no secret text when no tenant could hold a secret", () => {
    expect(registered.get("plain")!.tenantSecrets).toBeUndefined();
  });

  it("registers the defaults as JSON text too", () => {
    expect(JSON.parse(registered.get("plain")!.__defaults as string)).toEqual({
      content: "export default {}",
      compatibilityDate: "2025-01-01",
    });
  });

  it("registers the specs as __tenants and __defaults, which the CLI's display leaves out, and hides the earlier releases' tenants and defaults", () => {
    const handed = registered.get("plain")!;
    expect(
      Object.keys(handed)
        .filter((k) => handed[k] !== undefined)
        .sort(),
    ).toEqual(["__defaults", "__provider", "__tenants", "namespace"]);
    expect(optionsOf("plain").hideDiffs).toEqual(["tenants", "defaults"]);
  });
});

describe("a TenantFleet whose tenants hold Outputs", () => {
  beforeAll(() => {
    const data = new wfp.KVNamespace("data", { title: "tenant-data" });
    new wfp.TenantFleet("mixed", {
      namespace: "customers",
      defaults: { content: "export default {}", compatibilityDate: "2025-01-01" },
      tenants: {
        keyed: { bindings: { API_KEY: pulumi.secret("s3cr3t") } },
        stored: { bindings: { DATA: data } },
        // A secret made from an output not known at this preview.
        later: { bindings: { TOKEN: wfp.secret(data.namespaceId) } },
        plain: { tags: ["free"] },
      },
    });
  });

  it("registers the tenants as one Output of their texts, not a secret, which keeps a tenant's secret binding out of its text", async () => {
    const tenants = registered.get("mixed")!.__tenants as pulumi.Output<Record<string, string>>;
    expect(pulumi.Output.isInstance(tenants)).toBe(true);
    expect(await pulumi.isSecret(tenants)).toBe(false);
    const text = (await textsOf("mixed")).keyed;
    expect(JSON.parse(text)).toEqual({});
    expect(text).not.toContain("s3cr3t");
  });

  it("makes the tenants' Output depend on every resource a tenant binds", async () => {
    const tenants = registered.get("mixed")!.__tenants as pulumi.Output<Record<string, string>>;
    const dependsOn = await (tenants as unknown as { allResources(): Promise<Set<pulumi.Resource>> }).allResources();
    expect([...dependsOn].map((r) => (r as unknown as { __name: string }).__name)).toEqual(["data"]);
  });

  it("registers every tenant's secret bindings as one secret text, which the provider reads as secret text bindings", async () => {
    const secrets = registered.get("mixed")!.tenantSecrets as pulumi.Output<string>;
    expect(await pulumi.isSecret(secrets)).toBe(true);
    expect(tenantSecretsOf(await valueOf(pulumi.unsecret(secrets)), parsedSecrets())).toEqual({
      keyed: { API_KEY: { type: "secret_text", text: "s3cr3t" } },
      later: UNKNOWN,
    });
  });

  it("marks only the tenant whose secret is not known yet at preview as unknown in the secret text, which stays known", async () => {
    const secrets = registered.get("mixed")!.tenantSecrets as pulumi.Output<string>;
    expect(await (secrets as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(true);
    const read = tenantSecretsOf(await valueOf(pulumi.unsecret(secrets)), parsedSecrets());
    expect(read).toMatchObject({ later: UNKNOWN, keyed: { API_KEY: { type: "secret_text", text: "s3cr3t" } } });
  });

  it("leaves a tenant bound to a resource not yet created unknown at preview, and only that tenant", async () => {
    const tenants = registered.get("mixed")!.__tenants as pulumi.Output<Record<string, string>>;
    expect(await (tenants as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(true);
    const texts = await textsOf("mixed");
    expect(texts.stored).toBe(pulumi.runtime.unknownValue);
    expect(JSON.parse(texts.plain)).toEqual({ tags: ["free"] });
    // As the engine receives it: that tenant unknown, the others their text.
    const received = receivedInput("mixed", "__tenants");
    expect(pulumi.isUnknown(received.stored)).toBe(true);
    expect(
      Object.entries(received)
        .filter(([, text]) => typeof text === "string")
        .map(([tenant]) => tenant),
    ).toEqual(["keyed", "later", "plain"]);
  });
});

describe("a TenantFleet of tenants written with the helpers", () => {
  beforeAll(() => {
    const data = new wfp.KVNamespace("existing-data", { title: "tenant-data" });
    new wfp.TenantFleet("helpers", {
      namespace: "customers",
      defaults: { content: "export default {}", compatibilityDate: "2025-01-01" },
      tenants: {
        "customer-a": {
          bindings: { PLAN: "pro", CONFIG: wfp.json({ plan: "pro", seats: 5 }), API_KEY: wfp.secret("key-of-a"), DATA: data },
        },
        "customer-b": {
          bindings: { PLAN: "free", CONFIG: wfp.json({ plan: "free", seats: 1 }), API_KEY: wfp.secret("key-of-b"), DATA: data },
        },
      },
    });
  });

  it("registers each tenant's text in the compact form: plain text as its string, JSON as { json }", async () => {
    const text = (await textsOf("helpers"))["customer-a"];
    expect(JSON.parse(text)).toEqual({ bindings: { PLAN: "pro", CONFIG: { json: { plan: "pro", seats: 5 } } } });
  });

  it("registers the KV namespace every tenant binds under the same name once, in the defaults, as { kv_namespace }", async () => {
    const defaults = await valueOf(registered.get("helpers")!.__defaults as pulumi.Output<string>);
    expect(JSON.parse(defaults)).toEqual({
      content: "export default {}",
      compatibilityDate: "2025-01-01",
      bindings: { DATA: { kv_namespace: KV_ID } },
    });
  });

  it("keeps a binding in each tenant when not every tenant binds that value under that name", async () => {
    const data = new wfp.KVNamespace("other-data", { title: "other" });
    new wfp.TenantFleet("partly-shared", {
      namespace: "customers",
      defaults: { content: "export default {}" },
      tenants: {
        a: { bindings: { DATA: data, PLAN: "pro" } },
        b: { bindings: { DATA: data, PLAN: "free" } },
        c: { bindings: { PLAN: "pro" } },
      },
    });
    expect(JSON.parse(registered.get("partly-shared")!.__defaults as string)).toEqual({ content: "export default {}" });
    const texts = await textsOf("partly-shared");
    expect(JSON.parse(texts.c)).toEqual({ bindings: { PLAN: "pro" } });
    // Its KV namespace is not created yet at this preview: the tenant is unknown, not the fleet's map.
    expect(texts.a).toBe(pulumi.runtime.unknownValue);
  });

  it("registers a tenant without Outputs as the program gave it, whatever the program changes afterwards", async () => {
    const free = { tags: ["free"] };
    new wfp.TenantFleet("changed-after", {
      namespace: "customers",
      tenants: { keyed: { bindings: { API_KEY: wfp.secret("k") } }, free },
    });
    free.tags.push("changed");
    expect(JSON.parse((await textsOf("changed-after")).free)).toEqual({ tags: ["free"] });
  });

  it("registers the same text for a tenant whether the fleet is packed together or tenant by tenant (a tenant with an Output code is), binding order kept", async () => {
    const bindings = () => ({ CONFIG: wfp.json({ plan: "pro" }), PLAN: "pro", API_KEY: wfp.secret("key"), TOKEN: pulumi.output("t") });
    new wfp.TenantFleet("together", { namespace: "customers", tenants: { a: { bindings: bindings() }, b: { tags: ["b"] } } });
    new wfp.TenantFleet("one-by-one", {
      namespace: "customers",
      tenants: { a: { bindings: bindings() }, b: { tags: ["b"] }, coded: { content: pulumi.output("export default {}") } },
    });
    const together = (await textsOf("together")).a;
    expect(together).toBe(await valueOf(tenantsOf("one-by-one").a as pulumi.Output<string>));
    expect(Object.keys(JSON.parse(together).bindings)).toEqual(["CONFIG", "PLAN", "TOKEN"]);
  });

  it("keeps the texts plain and every secret value out of them", async () => {
    expect(await pulumi.isSecret(registered.get("helpers")!.__tenants as pulumi.Output<unknown>)).toBe(false);
    for (const text of Object.values(await textsOf("helpers"))) expect(text).not.toMatch(/key-of-/);
  });

  it("registers the secret values once, as a secret, each under its tenant", async () => {
    const secrets = registered.get("helpers")!.tenantSecrets as pulumi.Output<string>;
    expect(await pulumi.isSecret(secrets)).toBe(true);
    expect(tenantSecretsOf(await valueOf(pulumi.unsecret(secrets)), parsedSecrets())).toEqual({
      "customer-a": { API_KEY: { type: "secret_text", text: "key-of-a" } },
      "customer-b": { API_KEY: { type: "secret_text", text: "key-of-b" } },
    });
  });
});

describe("a TenantFleet's scripts", () => {
  it("are each tenant's state as a map, from the one text the provider keeps in state", async () => {
    const fleet = new wfp.TenantFleet("stored-as-text", {
      namespace: "customers",
      tenants: { "customer-a": { content: "export default {}" } },
    });
    expect(await valueOf(fleet.scripts)).toEqual(STATE);
  });

  it("are the same map from state written before the text form, which held the map itself", async () => {
    const fleet = new wfp.TenantFleet("stored-as-map", {
      namespace: "customers",
      tenants: { "customer-a": { content: "export default {}" } },
    });
    expect(await valueOf(fleet.scripts)).toEqual(STATE);
  });
});

describe("TenantFleet.get", () => {
  it("reads the fleet of a namespace by its name, registering no tenant", async () => {
    const fleet = wfp.TenantFleet.get("existing", "customers");
    expect(wfp.TenantFleet.isInstance(fleet)).toBe(true);
    await valueOf(fleet.urn);
    expect(registered.has("existing")).toBe(false); // read, not registered
    const read = mocked.find((args) => args.name === "existing")!;
    expect(read).toMatchObject({ type: "pulumi-nodejs:dynamic/cloudflare-wfp:TenantFleet", id: "customers" });
    expect(Object.keys(read.inputs)).toEqual(["__provider"]);
  });
});

describe("a TenantFleet with the import option", () => {
  const said: string[] = [];
  beforeAll(() => jest.spyOn(pulumi.log, "info").mockImplementation(async (message) => void said.push(message)));

  it("hands the provider the namespace to take over instead of the option (the engine's import fails for a dynamic resource), and says so at preview", async () => {
    const fleet = new wfp.TenantFleet("imported", { namespace: "customers", tenants: { "customer-a": {} } }, { import: "customers" });
    expect(registered.get("imported")!.importFrom).toBe("customers");
    expect(optionsOf("imported").import).toBeUndefined();
    await valueOf(fleet.urn);
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toEqual([
      expect.stringMatching(
        /^import: the scripts of dispatch namespace 'customers' become this fleet's tenants, each adopted without an upload where/,
      ),
    ]);
  });

  it("takes the namespace from the option when the program gives none", async () => {
    const fleet = new wfp.TenantFleet("imported-by-id", { tenants: { "customer-a": {} } } as never, { import: "customers" });
    expect(registered.get("imported-by-id")!).toMatchObject({ namespace: "customers", importFrom: "customers" });
    await valueOf(fleet.urn);
  });
});
