import * as pulumi from "@pulumi/pulumi";
import type { BindingType, Observability, Placement, UsageModel, WorkerLimits } from "../provider";
import { Bindings, splitBindings } from "./bindings";

/** The code and configuration of a Worker, shared by tenant (namespaced) and account-level scripts. */
export interface WorkerArgs {
  /** An inline ES-module Worker, e.g. `export default { fetch() { return new Response("hi") } }`. Exclusive with `entrypoint`. */
  content?: pulumi.Input<string>;
  /**
   * A file (TypeScript or JavaScript) bundled with esbuild for the Workers runtime, relative to the
   * Pulumi project directory. Imports of other files, JSON, text (.txt, .html) and WebAssembly work;
   * `cloudflare:*` (and `node:*` with the `nodejs_compat` flag) are left to the runtime. Exclusive with `content`.
   */
  entrypoint?: pulumi.Input<string>;
  /** The Workers runtime date to target, `YYYY-MM-DD` (no later than today). */
  compatibilityDate?: pulumi.Input<string>;
  /** Runtime feature flags, e.g. `["nodejs_compat"]`. */
  compatibilityFlags?: pulumi.Input<pulumi.Input<string>[]>;
  /** `env` of the Worker: binding name → value (see the helpers in `bindings`). */
  bindings?: pulumi.Input<Bindings>;
  /** Up to 8 tags (no ',' or '&'); tenants can be listed and deleted by tag. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Per-request limits, e.g. `{ cpuMs: 50 }`. */
  limits?: pulumi.Input<{ cpuMs?: pulumi.Input<number>; subrequests?: pulumi.Input<number> }>;
  usageModel?: pulumi.Input<UsageModel>;
  /** Smart placement and friends, in Cloudflare's shape, e.g. `{ mode: "smart" }`. */
  placement?: pulumi.Input<Placement>;
  /** Workers Logs settings, in Cloudflare's shape, e.g. `{ enabled: true, head_sampling_rate: 0.1 }`. */
  observability?: pulumi.Input<Observability>;
  logpush?: pulumi.Input<boolean>;
  /**
   * Binding types Cloudflare should keep from the previous version when this program does not
   * declare them (e.g. `["secret_text"]` for secrets set with wrangler). By default every upload
   * replaces all bindings with exactly the declared ones.
   */
  keepBindings?: pulumi.Input<pulumi.Input<BindingType>[]>;
}

/** The provider inputs for a Worker's code and configuration. */
export function workerInputs(args: WorkerArgs) {
  // No bindings, no keys: each key costs the Node SDK work at registration (./resource-props.ts).
  const { bindings, secretBindings } = args.bindings === undefined ? { bindings: undefined, secretBindings: undefined } : splitBindings(args.bindings);
  return {
    content: args.content,
    entrypoint: args.entrypoint,
    compatibilityDate: args.compatibilityDate,
    compatibilityFlags: args.compatibilityFlags,
    bindings,
    secretBindings,
    tags: args.tags,
    limits: args.limits as pulumi.Input<WorkerLimits> | undefined,
    usageModel: args.usageModel,
    placement: args.placement,
    observability: args.observability,
    logpush: args.logpush,
    keepBindings: args.keepBindings,
  };
}

/** Outputs that stay encrypted in state whatever the caller passed. */
export const SECRET_WORKER_OUTPUTS = ["secretBindings"];
