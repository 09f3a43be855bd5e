import * as pulumi from "@pulumi/pulumi";
import type { BindingType, Observability, Placement, UsageModel, WorkerLimits } from "../provider";
import { Bindings, splitBindings } from "./bindings";

/** The code and configuration of a Worker, shared by tenant (namespaced) and account-level scripts. */
export interface WorkerArgs {
  /**
   * The Worker as one inline ES module. Checked at `preview`: a syntax error fails there, naming the
   * line and column. Exclusive with `entrypoint`; one of the two is required.
   * @example 'export default { fetch() { return new Response("hello") } }'
   */
  content?: pulumi.Input<string>;
  /**
   * A file (TypeScript or JavaScript) bundled with esbuild for the Workers runtime, relative to the
   * Pulumi project directory. Imports of other files, JSON, text (.txt, .html) and WebAssembly work;
   * `cloudflare:*` (and `node:*` with the `nodejs_compat` flag) are left to the runtime. Built at
   * `preview`, so a code change shows as `contentHash` changing. Exclusive with `content`.
   * @example "src/tenant-worker.ts"
   */
  entrypoint?: pulumi.Input<string>;
  /**
   * Whether `entrypoint` is bundled with esbuild. With `false` the code is uploaded as it is on disk:
   * every file in the entrypoint's directory (and below it) is one module, named by its path from
   * that directory, the entrypoint the main module; the module type follows the extension (`.js`
   * and `.mjs` ES module, `.cjs` CommonJS, `.py` Python, `.wasm` WebAssembly, `.txt` and `.html`
   * text, `.bin` data, `.map` source map). This is how `pulumi-cloudflare-wfp import` writes the
   * code it downloads, so the program uploads exactly what Cloudflare has.
   * @default true
   * @example false
   */
  bundle?: pulumi.Input<boolean>;
  /**
   * The Workers runtime date to target, `YYYY-MM-DD`, no later than today (UTC).
   * @default Cloudflare's default for an upload without one (kept as Cloudflare has it on import)
   * @example "2025-01-01"
   */
  compatibilityDate?: pulumi.Input<string>;
  /**
   * Runtime feature flags.
   * @default none
   * @example ["nodejs_compat"]
   */
  compatibilityFlags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The Worker's `env`: binding name (a JavaScript identifier) → value. A string is plain text; a
   * Pulumi secret, or `secret(...)`, becomes a secret binding, encrypted in state; a
   * `DispatchNamespace`, `KVNamespace` or `WorkerScript` binds by its outputs; the helpers in
   * `bindings` cover every other type. Every upload sends exactly these (see `keepBindings`).
   * @default no bindings
   * @example { GREETING: "hello", CONFIG: json({ plan: "pro" }), API_KEY: secret(key), DATA: kv }
   */
  bindings?: pulumi.Input<Bindings>;
  /**
   * Up to 8 tags, without ',' or '&'; tenants can be listed and deleted by tag.
   * @default no tags
   * @example ["customer-a", "plan-pro"]
   */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Per-request limits: `cpuMs` from 1 to 300000 milliseconds of CPU time, `subrequests` a positive
   * whole number.
   * @default Cloudflare's limits for the account's plan
   * @example { cpuMs: 50 }
   */
  limits?: pulumi.Input<{ cpuMs?: pulumi.Input<number>; subrequests?: pulumi.Input<number> }>;
  /**
   * The usage model: "standard", "bundled" or "unbound" (the last two are legacy).
   * @default "standard"
   */
  usageModel?: pulumi.Input<UsageModel>;
  /**
   * Where the Worker runs: Smart Placement near its back ends, or a given region or host.
   * @default Cloudflare's default (run close to the visitor)
   * @example { mode: "smart" }
   */
  placement?: pulumi.Input<Placement>;
  /**
   * Workers Logs and traces.
   * @default off
   * @example { enabled: true, headSamplingRate: 0.1, logs: { enabled: true, invocationLogs: true } }
   */
  observability?: pulumi.Input<Observability>;
  /**
   * Send the Worker's trace events to Logpush.
   * @default false
   */
  logpush?: pulumi.Input<boolean>;
  /**
   * Binding types Cloudflare keeps from the previous version when this program does not declare them,
   * e.g. secrets set with wrangler. Any of the binding types of `bindings`.
   * @default none: every upload replaces all bindings with exactly the declared ones
   * @example ["secret_text", "secret_key"]
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
    bundle: args.bundle,
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
