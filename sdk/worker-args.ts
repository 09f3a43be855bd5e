import type * as pulumi from "@pulumi/pulumi";
import type { BindingType, Migrations, Observability, Placement, UsageModel, WorkerLimits } from "../provider";
import { type Bindings, splitBindings } from "./bindings";

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
  /**
   * Durable Object migrations: the classes the Worker exports as Durable Objects, created
   * (`newClasses`, `newSqliteClasses`), renamed (`renamedClasses`), deleted (`deletedClasses`) or
   * taken from another Worker (`transferredClasses`), either as one step's fields or as `steps`.
   * `newTag` (required) is the tag Cloudflare keeps as the script's `migrationTag` once they ran;
   * `oldTag`, when given, must be the script's tag before them. Sent with an upload only until the
   * script's tag is `newTag`: a migration that ran costs later updates nothing. To migrate again,
   * change `newTag` (and `oldTag` to the previous one) with the next step: an update in place.
   * Bind a class with `durableObject("Counter")`.
   * @default no migrations
   * @example { newTag: "v1", newSqliteClasses: ["Counter"] }
   */
  migrations?: pulumi.Input<Migrations>;
  /**
   * Static files served with the Worker (Workers static assets). `pulumi preview` reads the
   * directory and shows `assetsHash` changing when a file did, and `assetsChanges` saying which,
   * e.g. "1 of 3 files changed: /about.html"; `up` then uploads only the files Cloudflare does not
   * have, and an unchanged directory costs no asset request at all.
   * @default none
   * @example { directory: "./public", config: { notFoundHandling: "single-page-application", runWorkerFirst: ["/api/*"] } }
   */
  assets?: pulumi.Input<WorkerAssets>;
}

/** A Worker's static assets: the files, and how Cloudflare serves them in front of the Worker. */
export interface WorkerAssets {
  /**
   * The directory whose files are served, relative to the Pulumi project (`index.html` serves `/`).
   * A `_headers` or `_redirects` file at its root configures serving instead of being served, as
   * with wrangler. Cloudflare's limits are checked at `preview`: at most 100,000 files of at most
   * 25 MiB each.
   * @example "./public"
   */
  directory: pulumi.Input<string>;
  /**
   * How requests are matched to files and to the Worker.
   * @default Cloudflare's defaults (auto-trailing-slash, no not-found handling, assets first)
   * @example { htmlHandling: "drop-trailing-slash", notFoundHandling: "404-page" }
   */
  config?: pulumi.Input<WorkerAssetsConfig>;
}

/** How Cloudflare serves a Worker's assets (`assets.config` of the upload, in camelCase). */
export interface WorkerAssetsConfig {
  /**
   * Redirects and rewrites for HTML files: `/about` serves `about.html` or `about/index.html`, with
   * or without a trailing slash.
   * @default "auto-trailing-slash"
   * @example "drop-trailing-slash"
   */
  htmlHandling?: pulumi.Input<"auto-trailing-slash" | "force-trailing-slash" | "drop-trailing-slash" | "none">;
  /**
   * What a request that matches no file gets when the Worker does not answer it: `404-page` serves
   * the nearest `404.html` with status 404, `single-page-application` serves `/index.html` with 200.
   * @default "none" (the Worker runs, or a plain 404 without one)
   * @example "single-page-application"
   */
  notFoundHandling?: pulumi.Input<"none" | "404-page" | "single-page-application">;
  /**
   * Requests that reach the Worker before any file: `true` for all, or path rules (`*` globs,
   * `!/...` to exclude, at least one rule not excluded).
   * @default false (a matching file is served without running the Worker)
   * @example ["/api/*", "!/api/docs/*"]
   */
  runWorkerFirst?: pulumi.Input<boolean | pulumi.Input<string>[]>;
  /**
   * The contents of a `_headers` file: custom headers on asset responses (never on the Worker's).
   * Blocks of a path pattern (`*` splat, `:placeholder`s) and indented `Name: value` lines; `! Name`
   * removes a header. Cloudflare applies at most 100 rules and ignores the rest.
   * @default the directory's `_headers` file, if any
   * @example "/*\n  X-Frame-Options: DENY"
   */
  headers?: pulumi.Input<string>;
  /**
   * The contents of a `_redirects` file: redirects applied before files are served, one
   * `source destination [code]` per line (301, 302 by default, 303, 307, 308, or 200 to serve another
   * path's file). Cloudflare applies at most 2,000 exact-path and 100 pattern rules and ignores the rest.
   * @default the directory's `_redirects` file, if any
   * @example "/old /new 301"
   */
  redirects?: pulumi.Input<string>;
}

/** The provider inputs for a Worker's code and configuration. */
export function workerInputs(args: WorkerArgs) {
  // No bindings, no keys: each key costs the Node SDK work at registration (./resource-props.ts).
  const { bindings, secretBindings } =
    args.bindings === undefined ? { bindings: undefined, secretBindings: undefined } : splitBindings(args.bindings);
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
    migrations: args.migrations,
    assets: args.assets,
  };
}

/** Outputs that stay encrypted in state whatever the caller passed. */
export const SECRET_WORKER_OUTPUTS = ["secretBindings"];
