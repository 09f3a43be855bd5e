/**
 * The type of a Worker's `env`, derived from the `bindings` a program gives it, so the Worker's own
 * code is checked against what is really bound:
 *
 *   // index.ts (the Pulumi program)
 *   export const routerBindings = { TENANTS: tenants, DATA: kv, GREETING: "hi", CONFIG: json({ plan: "pro" }) };
 *   export type RouterEnv = EnvOf<typeof routerBindings>;
 *   // src/router.ts (the Worker; `import type` is erased when bundled)
 *   import type { RouterEnv } from "../index";
 *   export default { fetch: (req: Request, env: RouterEnv) => env.TENANTS.get("a").fetch(req) };
 *
 * Runtime types are those of `@cloudflare/workers-types` (install it to get them; without it they are `any`).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as cf from "@cloudflare/workers-types";
import type { BindingSpec, BindingType } from "../provider";

/** What each binding type is inside the Worker. */
export interface RuntimeBindingTypes {
  plain_text: string;
  secret_text: string;
  json: unknown;
  kv_namespace: cf.KVNamespace;
  r2_bucket: cf.R2Bucket;
  d1: cf.D1Database;
  service: cf.Fetcher;
  dispatch_namespace: cf.DispatchNamespace;
  durable_object_namespace: cf.DurableObjectNamespace;
  queue: cf.Queue;
  analytics_engine: cf.AnalyticsEngineDataset;
  hyperdrive: cf.Hyperdrive;
  vectorize: cf.VectorizeIndex;
  ai: cf.Ai;
  browser: cf.Fetcher;
  assets: cf.Fetcher;
  version_metadata: cf.WorkerVersionMetadata;
  ratelimit: cf.RateLimit;
  workflow: cf.Workflow;
  secrets_store_secret: cf.SecretsStoreSecret;
  send_email: cf.SendEmail;
  images: cf.ImagesBinding;
}

/** A binding of one type, in Cloudflare's shape; a `json` binding also carries its value's type. */
export type BindingSpecOf<T extends BindingType> = Extract<BindingSpec, { type: T }>;
/** A `json` binding whose value has type `V` (for `EnvOf`: `env.NAME` is a `V`). */
export type JsonBindingSpec<V> = BindingSpecOf<"json"> & { readonly __value?: V };

type RuntimeOfSpec<S> =
  S extends JsonBindingSpec<infer V>
    ? unknown extends V
      ? unknown
      : V
    : S extends { type: infer T }
      ? T extends keyof RuntimeBindingTypes
        ? RuntimeBindingTypes[T]
        : unknown
      : unknown;

/** What one binding value of a program becomes inside the Worker. */
export type RuntimeOf<V> = V extends { asBinding(): pulumi.OutputInstance<infer S> }
  ? RuntimeOfSpec<S>
  : V extends string | pulumi.OutputInstance<string> | Promise<string>
    ? string
    : V extends pulumi.OutputInstance<infer S> | Promise<infer S>
      ? RuntimeOfSpec<S>
      : RuntimeOfSpec<V>;

/** The Worker's `env` for a `bindings` object. */
export type EnvOf<B> = { readonly [K in keyof B]: RuntimeOf<B[K]> };
