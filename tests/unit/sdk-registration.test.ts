/**
 * What the sdk's resources register: the inputs that have a value and every output their class
 * declares. (Every key costs the Node SDK four promises with formatted stack traces, so keys for
 * inputs left out would slow a thousand-tenant program for nothing.)
 */
import * as pulumi from "@pulumi/pulumi";
import { registrationProps } from "../../sdk/resource-props";
import { recordRegistrations } from "./registrations";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

void pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, namespaceId: "ns-id", etag: "etag-1", contentHash: "hash-1" } };
    },
    call: () => ({}),
  },
  "wfp",
  "test",
  false,
);

const handed = recordRegistrations();

// Loaded after the mocks are in place, as a program would be under the engine.

const wfp: typeof import("../../sdk") = require("../../sdk");

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("registrationProps", () => {
  it("drops inputs left undefined, keeps every defined value including false, 0 and the empty string", () => {
    const props = registrationProps({ a: "x", b: undefined, c: false, d: 0, e: "" }, []);
    expect(Object.keys(props).sort()).toEqual(["a", "c", "d", "e"]);
  });

  it("adds each declared output as undefined unless an input of that name has a value", () => {
    const props = registrationProps({ tags: ["t"], content: undefined }, ["tags", "etag"]);
    expect(props).toEqual({ tags: ["t"], etag: undefined });
    expect("etag" in props).toBe(true);
  });
});

describe("a NamespacedWorkerScript declared with only its required inputs", () => {
  let script: InstanceType<typeof wfp.NamespacedWorkerScript>;
  beforeAll(async () => {
    script = new wfp.NamespacedWorkerScript("tenant-a", {
      namespace: "platform",
      content: "export default { fetch() { return new Response('a') } }",
      compatibilityDate: "2025-01-01",
    });
    await valueOf(script.urn); // registered (its provider serialized) before anything is asserted
  });

  it("has every output its class declares, even those it gave no input for", async () => {
    for (const key of ["scriptName", "accountId", "etag", "contentHash", "createdOn", "modifiedOn", "tags", "handlers", "namespace"]) {
      expect(pulumi.Output.isInstance((script as unknown as Record<string, unknown>)[key])).toBe(true);
    }
    expect(await valueOf(script.etag)).toBe("etag-1");
    expect(await valueOf(script.scriptName)).toBe("tenant-a");
  });

  it("carries no property for the inputs it left out", () => {
    for (const key of [
      "entrypoint",
      "bindings",
      "secretBindings",
      "limits",
      "placement",
      "observability",
      "zoneId",
      "hostnames",
      "importFrom",
      "apiToken",
      "apiKey",
      "email",
    ]) {
      expect(key in script).toBe(false);
    }
  });

  it("hands the Node SDK the inputs that have a value and the declared outputs, no key for an input left out", () => {
    const outputs = [
      "accountId",
      "assetsChanges",
      "contentHash",
      "createdOn",
      "customHostnameIds",
      "etag",
      "handlers",
      "hostnameStatuses",
      "migrationTag",
      "modifiedOn",
      "tags",
    ];
    expect(Object.keys(handed.get("tenant-a")!).sort()).toEqual(
      ["__provider", "compatibilityDate", "content", "namespace", "scriptName", ...outputs].sort(),
    );
    const tenant = registered.find((r) => r.name === "tenant-a")!;
    expect(Object.keys(tenant.inputs).sort()).toEqual(["__provider", "compatibilityDate", "content", "namespace", "scriptName"]);
  });
});

describe("a DispatchNamespace and a KVNamespace", () => {
  it("expose their declared outputs, including inputs that were not given", async () => {
    const ns = new wfp.DispatchNamespace("ns", { namespace: "platform" });
    const kv = new wfp.KVNamespace("kv", { title: "tenant-data" });
    await Promise.all([valueOf(ns.urn), valueOf(kv.urn)]);
    for (const key of ["namespace", "namespaceId", "accountId", "scriptCount", "trustedWorkers", "createdOn", "modifiedOn", "adopted"]) {
      expect(pulumi.Output.isInstance((ns as unknown as Record<string, unknown>)[key])).toBe(true);
    }
    for (const key of ["title", "namespaceId", "accountId", "supportsUrlEncoding", "adopted"]) {
      expect(pulumi.Output.isInstance((kv as unknown as Record<string, unknown>)[key])).toBe(true);
    }
    expect("adopt" in ns).toBe(false);
    expect("importFrom" in kv).toBe(false);
  });
});

describe("isInstance", () => {
  it("recognizes each kind by its type token, also from a second copy of the package, where instanceof fails", async () => {
    let copy: typeof import("../../sdk") | undefined;
    jest.isolateModules(() => {
      copy = require("../../sdk");
    });
    const mine = new wfp.DispatchNamespace("ns-here", { namespace: "here" });
    const theirs = new copy!.DispatchNamespace("ns-there", { namespace: "there" });
    await Promise.all([valueOf(mine.urn), valueOf(theirs.urn)]);
    expect(theirs instanceof wfp.DispatchNamespace).toBe(false); // the problem isInstance solves
    expect(wfp.DispatchNamespace.isInstance(theirs)).toBe(true);
    expect(wfp.DispatchNamespace.isInstance(mine)).toBe(true);
    expect(wfp.KVNamespace.isInstance(mine)).toBe(false);
    expect(wfp.WorkerScript.isInstance({ namespace: "here" })).toBe(false);
  });
});
