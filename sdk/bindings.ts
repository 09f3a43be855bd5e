/**
 * Worker bindings as users write them: `bindings: { GREETING: "hi", CONFIG: json({...}),
 * API_KEY: secret(key), CACHE: kvNamespace(id), TENANTS: namespace }`.
 *
 * Each helper returns Cloudflare's binding shape (without the name, which is the map key). Before the
 * values reach the provider they are split in two inputs: plain bindings, readable in diffs, and
 * secret ones (anything built from a Pulumi secret, and `secret(...)`), which stay encrypted in state.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BindingMap, BindingSpec, BindingType } from "../provider";
import { type Bindable, isBindable } from "./bindable";
import { DispatchNamespace } from "./dispatch-namespace";
import type { BindingSpecOf, JsonBindingSpec } from "./runtime-env";
import { outputFromParts } from "./output-parts";
import { isPlainData, plainCopy } from "./plain-data";
import { isResourceOfKind } from "./type-tokens";

export type { BindingMap, BindingSpec, BindingType };

/** Cloudflare's binding of one type, minus `name`, each field accepting Pulumi inputs. */
export type BindingOf<T extends BindingType> = pulumi.Input<pulumi.Inputs & Extract<BindingSpec, { type: T }>>;

/**
 * A binding value: a string (plain text; a Pulumi secret string becomes a secret), the result of a
 * helper below, a resource of this package (`DispatchNamespace` → dispatch namespace, `KVNamespace` →
 * KV, `WorkerScript` → service binding), or any Cloudflare binding object.
 */
export type BindingInput = pulumi.Input<string> | pulumi.Input<BindingSpec> | Bindable;
export type Bindings = Record<string, BindingInput>;

/**
 * A binding of type T as an Output: its type carried along, so `EnvOf` knows what `env.NAME` is. A
 * binding of plain values is made as one Output directly: `pulumi.output` walks the value and makes
 * the same Output with more work, which a fleet's tenants pay ten thousand times.
 */
const spec = <T extends BindingType>(value: pulumi.Inputs & { type: T }, options = { secret: false }): pulumi.Output<BindingSpecOf<T>> => {
  if (isPlainData(value)) return outputFromParts(Promise.resolve(plainCopy(value) as BindingSpecOf<T>), [], options);
  const output = pulumi.output(value) as unknown as pulumi.Output<BindingSpecOf<T>>;
  return options.secret ? (pulumi.secret(output) as pulumi.Output<BindingSpecOf<T>>) : output;
};

/** A plain text variable (same as giving the string directly). */
export const plainText = (text: pulumi.Input<string>) => spec({ type: "plain_text", text });
/** A JSON variable: `env.NAME` is the parsed value. */
export const json = <V>(value: pulumi.Input<V>) => spec({ type: "json", json: value }) as pulumi.Output<JsonBindingSpec<V>>;
/** A secret text variable: encrypted in state and hidden in previews; Cloudflare never returns it. */
export const secret = (text: pulumi.Input<string>) => spec({ type: "secret_text", text }, { secret: true });
export const kvNamespace = (namespaceId: pulumi.Input<string>) => spec({ type: "kv_namespace", namespace_id: namespaceId });
export const r2Bucket = (
  bucketName: pulumi.Input<string>,
  opts: { jurisdiction?: pulumi.Input<"eu" | "fedramp" | "fedramp-high" | "us"> } = {},
) => spec({ type: "r2_bucket", bucket_name: bucketName, ...opts });
export const d1Database = (databaseId: pulumi.Input<string>) => spec({ type: "d1", database_id: databaseId });
export const queue = (queueName: pulumi.Input<string>) => spec({ type: "queue", queue_name: queueName });
export const analyticsEngine = (dataset: pulumi.Input<string>) => spec({ type: "analytics_engine", dataset });
export const hyperdrive = (id: pulumi.Input<string>) => spec({ type: "hyperdrive", id });
export const vectorize = (indexName: pulumi.Input<string>) => spec({ type: "vectorize", index_name: indexName });
export const ai = () => spec({ type: "ai" });
export const browser = () => spec({ type: "browser" });
export const versionMetadata = () => spec({ type: "version_metadata" });
/**
 * The Worker's own static assets (its `assets` input): `env.ASSETS.fetch(request)` answers as the
 * assets would, with `_redirects`, html handling and not-found handling, but never runs the Worker.
 * Useful with `runWorkerFirst`, to serve a file after the Worker ran. Needs `assets` on the same Worker.
 * @example bindings: { ASSETS: assets() }
 */
export const assets = () => spec({ type: "assets" });
/** A service binding to another Worker (an account-level script). */
export const service = (
  scriptName: pulumi.Input<string>,
  opts: { environment?: pulumi.Input<string>; entrypoint?: pulumi.Input<string> } = {},
) => spec({ type: "service", service: scriptName, ...opts });
export const durableObject = (
  className: pulumi.Input<string>,
  opts: { scriptName?: pulumi.Input<string>; environment?: pulumi.Input<string> } = {},
) =>
  spec({
    type: "durable_object_namespace",
    class_name: className,
    ...(opts.scriptName === undefined ? {} : { script_name: opts.scriptName }),
    ...(opts.environment === undefined ? {} : { environment: opts.environment }),
  });
export const workflow = (
  workflowName: pulumi.Input<string>,
  opts: { className?: pulumi.Input<string>; scriptName?: pulumi.Input<string> } = {},
) =>
  spec({
    type: "workflow",
    workflow_name: workflowName,
    ...(opts.className === undefined ? {} : { class_name: opts.className }),
    ...(opts.scriptName === undefined ? {} : { script_name: opts.scriptName }),
  });
export const rateLimit = (namespaceId: pulumi.Input<string>, simple: { limit: pulumi.Input<number>; period: pulumi.Input<10 | 60> }) =>
  spec({ type: "ratelimit", namespace_id: namespaceId, simple });
export const secretsStoreSecret = (storeId: pulumi.Input<string>, secretName: pulumi.Input<string>) =>
  spec({ type: "secrets_store_secret", store_id: storeId, secret_name: secretName });

/** Where a dispatcher's outbound Worker sends tenants' subrequests (`outbound` of the binding). */
export interface OutboundWorker {
  service: pulumi.Input<string>;
  environment?: pulumi.Input<string>;
  entrypoint?: pulumi.Input<string>;
  /** Names of the parameters the dispatcher passes to the outbound Worker. */
  params?: pulumi.Input<string>[];
}

/**
 * A dispatch namespace binding: `env.NAME.get(tenant)` reaches tenant workers. Give the
 * `DispatchNamespace` resource so the dependency graph orders (and renames flow into) the dispatcher.
 */
export function dispatchNamespace(namespace: DispatchNamespace | pulumi.Input<string>, opts: { outbound?: OutboundWorker } = {}) {
  const name = DispatchNamespace.isInstance(namespace) ? namespace.namespace : namespace;
  const outbound = opts.outbound;
  if (!outbound) return spec({ type: "dispatch_namespace", namespace: name });
  const worker = {
    service: outbound.service,
    ...(outbound.environment === undefined ? {} : { environment: outbound.environment }),
    ...(outbound.entrypoint === undefined ? {} : { entrypoint: outbound.entrypoint }),
  };
  const params = outbound.params === undefined ? {} : { params: outbound.params.map((p) => ({ name: p })) };
  return spec({ type: "dispatch_namespace", namespace: name, outbound: { worker, ...params } });
}

/** Any binding in Cloudflare's own shape (minus `name`), for types without a helper. */
export const binding = <S extends BindingSpec>(value: pulumi.Input<S>) => pulumi.output(value) as unknown as pulumi.Output<S>;

/**
 * Cloudflare offers no service binding to a Worker inside a dispatch namespace. The types refuse a
 * NamespacedWorkerScript as a binding; this says why to a program the compiler did not check.
 */
const TENANT_NOT_BINDABLE =
  "a NamespacedWorkerScript cannot be bound directly: Cloudflare has no service binding into a dispatch namespace. " +
  "Bind its DispatchNamespace instead (bindings: { TENANTS: namespace }) and call env.TENANTS.get(scriptName).";

/**
 * One binding value as an Output of Cloudflare's shape (a string is plain text).
 * @internal used by the fleet's packing
 */
export function toSpec(value: BindingInput): pulumi.Output<BindingSpec> {
  if (isResourceOfKind(value, "NamespacedWorkerScript")) throw new Error(TENANT_NOT_BINDABLE);
  if (isBindable(value)) return value.asBinding() as pulumi.Output<BindingSpec>;
  return pulumi.output(value as pulumi.Input<string | BindingSpec>).apply((v) => specOfValue(v as string | BindingSpec));
}

/**
 * A resolved binding value in Cloudflare's shape: a string is a plain text binding, an object a binding as given.
 * @internal used by the fleet's packing
 */
export function specOfValue(value: string | BindingSpec): BindingSpec {
  return typeof value === "string" ? { type: "plain_text", text: value } : value;
}

/**
 * A plain text that arrived as a Pulumi secret is a secret text binding.
 * @internal used by the fleet's packing
 */
export function asSecret(value: BindingSpec): BindingSpec {
  return value.type === "plain_text" ? { type: "secret_text", text: value.text } : value;
}

function compact(map: Record<string, BindingSpec | undefined>): BindingMap | undefined {
  const entries = Object.entries(map).filter((e): e is [string, BindingSpec] => e[1] !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** A binding map as registered: each binding its own Input. */
type BindingMapInput = pulumi.Input<Record<string, pulumi.Input<BindingSpec>> | undefined>;

/**
 * Splits user bindings into the provider's `bindings` (plain) and `secretBindings` (encrypted)
 * inputs, keeping each value's dependencies so the engine orders resources correctly.
 *
 * Each binding stays its own Output inside the maps: on a first preview, a binding built from a
 * resource not yet created reaches the provider as unknown by itself, and the others stay known
 * (one unknown binding does not make the whole map unknown). Whether a value is secret is known
 * at preview even when the value is not, so the split never waits for values.
 *
 * @internal used by the resource classes
 */
export function splitBindings(bindings: pulumi.Input<Bindings> | undefined): {
  bindings: BindingMapInput;
  secretBindings: BindingMapInput;
} {
  const isPlainMap = bindings !== undefined && !pulumi.Output.isInstance(bindings) && !(bindings instanceof Promise);
  if (isPlainMap) {
    // toSpec first, in the constructor's own call: a value that cannot be a binding throws there.
    const specs = Object.entries(bindings).map(([name, value]) => ({ name, spec: toSpec(value) }));
    const classified = Promise.all(specs.map(async ({ name, spec }) => ({ name, spec, secret: await pulumi.isSecret(spec) })));
    const pick = (secret: boolean): Promise<Record<string, pulumi.Output<BindingSpec>> | undefined> =>
      classified.then((entries) => {
        const chosen = entries.filter((e) => e.secret === secret);
        if (chosen.length === 0) return undefined;
        const map: Record<string, pulumi.Output<BindingSpec>> = {};
        for (const e of chosen)
          map[e.name] = secret ? (pulumi.secret(pulumi.unsecret(e.spec).apply(asSecret)) as pulumi.Output<BindingSpec>) : e.spec;
        return map;
      });
    return { bindings: pick(false), secretBindings: pick(true) };
  }
  // The whole map is one Output: split it per entry once resolved; if any of it is secret, all of it is.
  const whole = pulumi.output(bindings ?? {}) as pulumi.Output<Record<string, string | BindingSpec>>;
  const wholeIsSecret = pulumi.isSecret(whole);
  const resolved = pulumi
    .unsecret(whole)
    .apply((map) => compact(Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, specOfValue(v)]))) ?? {});
  return {
    bindings: resolved.apply(async (map) => ((await wholeIsSecret) ? undefined : compact(map))),
    secretBindings: pulumi.secret(
      resolved.apply(async (map) =>
        (await wholeIsSecret) ? compact(Object.fromEntries(Object.entries(map).map(([k, v]) => [k, asSecret(v)]))) : undefined,
      ),
    ),
  };
}
