/**
 * How the sdk turns a Worker's `bindings` into provider inputs: plain values readable in diffs,
 * anything secret in a separate encrypted map, and resources of this package bound by their outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { splitBindings } from "../../sdk/bindings";
import * as wfp from "../../sdk";
import type { ResourceKind } from "../../provider";
import { typeToken } from "../../sdk/type-tokens";

/**
 * A resource of this package as a program holds it once the engine resolved its outputs. (Constructing
 * real dynamic resources needs the engine, which tests/engine covers; here only the binding logic.)
 */
function resolved<T extends object>(cls: { prototype: T; name: string }, outputs: Record<string, unknown>): T {
  const resource = Object.create(cls.prototype);
  resource.__pulumiType = typeToken(cls.name as ResourceKind); // what isInstance reads
  for (const [key, value] of Object.entries(outputs)) resource[key] = pulumi.output(value);
  return resource;
}

/** The value the engine would receive for an input, nested Outputs resolved. */
function valueOf<T>(input: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(input).apply(resolve));
}

describe("splitBindings", () => {
  it("keeps plain values in bindings, in Cloudflare's shape", async () => {
    const { bindings, secretBindings } = splitBindings({
      GREETING: "hello",
      CONFIG: wfp.json({ plan: "pro" }),
      CACHE: wfp.kvNamespace("0f2ac74b498b48028cb68387c421e279"),
      AUTH: wfp.service("auth", { environment: "production" }),
      ASSETS: wfp.assets(),
    });
    expect(await valueOf(bindings)).toEqual({
      GREETING: { type: "plain_text", text: "hello" },
      CONFIG: { type: "json", json: { plan: "pro" } },
      CACHE: { type: "kv_namespace", namespace_id: "0f2ac74b498b48028cb68387c421e279" },
      AUTH: { type: "service", service: "auth", environment: "production" },
      ASSETS: { type: "assets" },
    });
    expect(await valueOf(secretBindings)).toBeUndefined();
  });

  it("moves secret(...) and Pulumi secrets to secretBindings, which is itself a secret", async () => {
    const { bindings, secretBindings } = splitBindings({
      VISIBLE: "shown",
      API_KEY: wfp.secret("k-123"),
      PASSWORD: pulumi.secret("p-456"),
      SECRET_CONFIG: wfp.json(pulumi.secret({ token: "t-789" })),
    });
    expect(await valueOf(bindings)).toEqual({ VISIBLE: { type: "plain_text", text: "shown" } });
    expect(await valueOf(secretBindings)).toEqual({
      API_KEY: { type: "secret_text", text: "k-123" },
      PASSWORD: { type: "secret_text", text: "p-456" }, // a secret string is a secret binding, not plain text
      SECRET_CONFIG: { type: "json", json: { token: "t-789" } },
    });
    expect(await pulumi.isSecret(pulumi.output(secretBindings))).toBe(true);
    expect(await pulumi.isSecret(pulumi.output(bindings))).toBe(false);
  });

  it("splits a map given as one Output: all secret if any of it is", async () => {
    const split = splitBindings(pulumi.output({ A: "a" }));
    expect(await valueOf(split.bindings)).toEqual({ A: { type: "plain_text", text: "a" } });
    const secret = splitBindings(pulumi.secret({ A: "a" }));
    expect(await valueOf(secret.bindings)).toBeUndefined();
    expect(await valueOf(secret.secretBindings)).toEqual({ A: { type: "secret_text", text: "a" } });
  });

  it("binds this package's resources by their outputs", async () => {
    const ns = resolved(wfp.DispatchNamespace, { namespace: "tenants-ns" });
    const kv = resolved(wfp.KVNamespace, { namespaceId: "tenant-data-id" });
    const auth = resolved(wfp.WorkerScript, { scriptName: "auth" });
    const { bindings } = splitBindings({ TENANTS: ns, DATA: kv, AUTH: auth });
    expect(await valueOf(bindings)).toEqual({
      TENANTS: { type: "dispatch_namespace", namespace: "tenants-ns" },
      DATA: { type: "kv_namespace", namespace_id: "tenant-data-id" },
      AUTH: { type: "service", service: "auth" },
    });
  });

  it("builds a dispatch namespace binding with an outbound worker and its parameters", async () => {
    const ns = resolved(wfp.DispatchNamespace, { namespace: "customers" });
    const { bindings } = splitBindings({
      DISPATCHER: wfp.dispatchNamespace(ns, { outbound: { service: "egress", environment: "production", params: ["customer_context"] } }),
    });
    expect(await valueOf(bindings)).toEqual({
      DISPATCHER: {
        type: "dispatch_namespace",
        namespace: "customers",
        outbound: { worker: { service: "egress", environment: "production" }, params: [{ name: "customer_context" }] },
      },
    });
  });

  it("refuses a tenant script as a binding: at compile time, and with an explanation at run time", () => {
    const tenant = resolved(wfp.NamespacedWorkerScript, { scriptName: "tenant" });
    // @ts-expect-error a NamespacedWorkerScript is not a binding value
    const bindings: wfp.Bindings = { TENANT: tenant };
    expect(() => splitBindings(bindings)).toThrow(/Bind its DispatchNamespace instead .*env.TENANTS.get\(scriptName\)/);
  });
});

describe("workersScriptDispatchBinding (for @pulumi/cloudflare's WorkersScript)", () => {
  it("has @pulumi/cloudflare v6's binding shape, with the namespace as an output", async () => {
    const ns = resolved(wfp.DispatchNamespace, { namespace: "interop-ns" });
    const binding = wfp.workersScriptDispatchBinding("TENANTS", ns, { outbound: { service: "egress", params: ["customer"] } });
    expect({ ...binding, namespace: undefined }).toEqual({
      name: "TENANTS",
      type: "dispatch_namespace",
      namespace: undefined,
      outbound: { worker: { service: "egress" }, params: ["customer"] },
    });
    expect(pulumi.Output.isInstance(binding.namespace)).toBe(true);
    expect(await valueOf(binding.namespace as pulumi.Output<string>)).toBe("interop-ns");
    expect(wfp.workersScriptDispatchBinding("T", "plain-name")).toEqual({ name: "T", type: "dispatch_namespace", namespace: "plain-name" });
  });
});

describe("the binding helpers", () => {
  it("keep the value they were given when the program changes its object afterwards, as pulumi.output does", async () => {
    const config = { plan: "pro", limits: { seats: 5 } };
    const binding = wfp.json(config);
    config.plan = "free";
    config.limits.seats = 1;
    expect(await valueOf(binding)).toEqual({ type: "json", json: { plan: "pro", limits: { seats: 5 } } });
  });

  it("make secret(...) of a string a known secret, and of an Output a secret that follows it", async () => {
    const plain = wfp.secret("k-123");
    expect(await pulumi.isSecret(plain)).toBe(true);
    expect(await valueOf(plain)).toEqual({ type: "secret_text", text: "k-123" });
    const fromOutput = wfp.secret(pulumi.output("k-456"));
    expect(await pulumi.isSecret(fromOutput)).toBe(true);
    expect(await valueOf(fromOutput)).toEqual({ type: "secret_text", text: "k-456" });
  });
});
