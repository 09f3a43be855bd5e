/**
 * What a TenantFleet registers per tenant: its spec as one JSON text. A tenant of plain values is
 * encoded on the spot, with no Output (ten thousand of them cost the program nothing per tenant); a
 * tenant with an Output keeps its secrecy, its dependencies and its unknowns as one Output of its own.
 */
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "./registrations";

// What the provider answers as `scripts` for these fleets: the text it writes (a line per tenant), and the map older state holds.
const STATE = { "customer-a": { specHash: "5f1e", etag: "e1", modifiedOn: "2026-11-29T00:00:00Z" }, "customer-b": { specHash: "77aa", etag: "e2", modifiedOn: "2026-11-29T00:00:01Z", drifted: true } };
const STORED: Record<string, unknown> = { "stored-as-text": "customer-a 5f1e e1 2026-11-29T00:00:00Z\ncustomer-b 77aa e2 2026-11-29T00:00:01Z drifted", "stored-as-map": STATE };

pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(STORED[args.name] === undefined ? {} : { scripts: STORED[args.name] }) } }),
    call: () => ({}),
  },
  "wfp",
  "test",
  true, // a preview: what is not known yet stays unknown
);

const registered = recordRegistrations();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wfp: typeof import("../../sdk") = require("../../sdk");

const tenantsOf = (name: string) => registered.get(name)!.tenants as Record<string, unknown>;

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

  it("registers each tenant as JSON text right away, a plain text binding kept as its string", () => {
    const tenants = tenantsOf("plain");
    expect(typeof tenants["customer-a"]).toBe("string");
    expect(JSON.parse(tenants["customer-a"] as string)).toEqual({
      bindings: { PLAN: "pro", LIMITS: { type: "json", json: { rps: 10 } } },
      tags: ["plan-pro"],
    });
    expect(JSON.parse(tenants["customer-b"] as string)).toEqual({});
  });

  it("registers the defaults as JSON text too", () => {
    expect(JSON.parse(registered.get("plain")!.defaults as string)).toEqual({ content: "export default {}", compatibilityDate: "2025-01-01" });
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
        plain: { tags: ["free"] },
      },
    });
  });

  it("keeps a tenant with a secret binding secret as a whole, and its JSON carries the value as a secret binding", async () => {
    const keyed = tenantsOf("mixed").keyed as pulumi.Output<string>;
    expect(pulumi.Output.isInstance(keyed)).toBe(true);
    expect(await pulumi.isSecret(keyed)).toBe(true);
    expect(JSON.parse(await valueOf(pulumi.unsecret(keyed)))).toEqual({ secretBindings: { API_KEY: { type: "secret_text", text: "s3cr3t" } } });
  });

  it("leaves a tenant bound to a resource not yet created unknown at preview, and only that tenant", async () => {
    const stored = tenantsOf("mixed").stored as pulumi.Output<string>;
    expect(pulumi.Output.isInstance(stored)).toBe(true);
    expect(await (stored as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(false);
    expect(typeof tenantsOf("mixed").plain).toBe("string");
  });
});

describe("a TenantFleet's scripts", () => {
  it("are each tenant's state as a map, from the one text the provider keeps in state", async () => {
    const fleet = new wfp.TenantFleet("stored-as-text", { namespace: "customers", tenants: { "customer-a": { content: "export default {}" } } });
    expect(await valueOf(fleet.scripts)).toEqual(STATE);
  });

  it("are the same map from state written before the text form, which held the map itself", async () => {
    const fleet = new wfp.TenantFleet("stored-as-map", { namespace: "customers", tenants: { "customer-a": { content: "export default {}" } } });
    expect(await valueOf(fleet.scripts)).toEqual(STATE);
  });
});
