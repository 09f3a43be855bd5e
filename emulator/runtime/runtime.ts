/**
 * The local Workers runtime: one Miniflare (workerd) instance, started on first use.
 *
 * - Account scripts are Miniflare workers. Before each request the runtime compares a fingerprint of all
 *   account scripts (name, etag, bindings, compatibility settings); if it changed, it reloads them with
 *   `setOptions` (a workerd restart, ~100-200 ms).
 * - Tenants (namespaced scripts) never restart anything: the internal worker loads them through the Worker
 *   Loader under a key that changes with their etag/configuration, asking the Node registry each request.
 */
import type {
  Miniflare,
  MiniflareOptions,
  Request as MfRequest,
  RequestInit as MfRequestInit,
  Response as MfResponse,
  WorkerOptions,
} from "miniflare";
import type { Readable } from "node:stream";
import { accountWorkerOptions, isReservedName } from "./account-worker";
import { clampCompatibilityDate } from "./compat";
import {
  ENTRY_SOURCE,
  ENTRY_WORKER,
  INTERNAL_COMPATIBILITY_DATE,
  INTERNAL_SOURCE,
  INTERNAL_WORKER,
  TARGET_HEADER,
} from "./internal-workers";
import { createMemoryKv } from "./kv";
import { Registry, type RegistryOptions, type RegistryRequest } from "./registry";
import type { RuntimeScript, RuntimeSource, RuntimeWarning } from "./types";

export interface WorkersRuntimeOptions {
  /** Tenants get `globalOutbound: null` (no network) unless their dispatch binding has an outbound Worker. Default false (Cloudflare lets them fetch). */
  isolateTenants?: boolean;
  /** Each warning once (unsupported binding, clamped date, …). Default: `console.warn`. */
  onWarning?: (warning: RuntimeWarning) => void;
  /** workerd output (Workers' `console.log`, uncaught errors), line by line. Default: process stderr with a `[workerd]` prefix. */
  onLog?: (line: string) => void;
}

/** The runtime could not (re)start with the current account scripts. */
export class RuntimeStartError extends Error {
  override name = "RuntimeStartError";
  constructor(
    message: string,
    /** Last lines workerd printed (the actual reason, e.g. an unknown compatibility flag or a syntax error). */
    readonly output: string[],
  ) {
    super(output.length ? `${message}\n${output.join("\n")}` : message);
  }
}

type MiniflareModule = typeof import("miniflare");

const OUTPUT_LINES = 40;

export class WorkersRuntime {
  private mf: Miniflare | undefined;
  private mfModule: MiniflareModule | undefined;
  private fingerprint: string | undefined;
  private accountNames = new Set<string>();
  private failed: { fingerprint: string; error: Error } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly seen = new Set<string>();
  private readonly warningList: RuntimeWarning[] = [];
  private readonly output: string[] = [];
  private readonly registry: Registry;
  private readonly registryOptions: RegistryOptions;
  private closed = false;
  private starts = 0;
  private lastStartMs: number | undefined;

  constructor(
    private readonly source: RuntimeSource,
    private readonly options: WorkersRuntimeOptions = {},
  ) {
    this.registryOptions = { supportedDate: "", isolateTenants: options.isolateTenants ?? false, warn: (w) => this.warn(w) };
    this.registry = new Registry(source, source.kv ?? createMemoryKv(), this.registryOptions);
  }

  /** Start (or reload changed account scripts) now instead of on the first request. */
  async ready(): Promise<void> {
    await this.current();
  }

  /**
   * Run `script` (an account script) on a request. Resolves with workerd's response; rejects with
   * `RuntimeStartError` when the account scripts cannot run, or an Error for an unknown script.
   */
  async fetch(script: string, input: string | URL, init: MfRequestInit = {}): Promise<MfResponse> {
    const mf = await this.current();
    if (!this.accountNames.has(script)) throw new Error(`no account script '${script}' is running`);
    const headers = new this.mfModule!.Headers(init.headers);
    headers.set(TARGET_HEADER, script);
    return mf.dispatchFetch(input, { ...init, headers, redirect: "manual" });
  }

  /**
   * Runs an account script's `scheduled` handler, as a cron trigger would (Miniflare's `getWorker(name).scheduled`).
   * Resolves with the handler's outcome: "ok", or what went wrong ("exception", …).
   */
  async scheduled(script: string, cron: string): Promise<string> {
    const mf = await this.current();
    if (!this.accountNames.has(script)) throw new Error(`no account script '${script}' is running`);
    const worker = await mf.getWorker(script);
    return (await worker.scheduled({ cron, scheduledTime: new Date() })).outcome;
  }

  /** Is there an account script by that name (as the source says now)? */
  hasScript(script: string): boolean {
    return this.source.accountScript(script) !== undefined && !isReservedName(script);
  }

  warnings(): RuntimeWarning[] {
    return [...this.warningList];
  }

  stats(): { starts: number; lastStartMs?: number } {
    return { starts: this.starts, ...(this.lastStartMs !== undefined ? { lastStartMs: this.lastStartMs } : {}) };
  }

  /** Stop workerd. Safe to call twice; the runtime cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.serial(async () => {
      await this.disposeInstance();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async current(): Promise<Miniflare> {
    if (this.closed) throw new Error("the Workers runtime is closed");
    const scripts = this.source
      .accountScripts()
      .slice()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fingerprint = JSON.stringify(scripts.map(fingerprintOf));
    if (this.mf && this.fingerprint === fingerprint) return this.mf;
    return this.serial(async () => {
      if (this.closed) throw new Error("the Workers runtime is closed");
      if (this.mf && this.fingerprint === fingerprint) return this.mf;
      if (this.failed?.fingerprint === fingerprint) throw this.failed.error;
      return this.load(scripts, fingerprint);
    });
  }

  private async load(scripts: RuntimeScript[], fingerprint: string): Promise<Miniflare> {
    const mfm = (this.mfModule ??= await import("miniflare"));
    this.registryOptions.supportedDate = mfm.supportedCompatibilityDate; // read by the registry once workerd runs
    const options = this.buildOptions(scripts, mfm);
    const started = Date.now();
    this.output.length = 0;
    try {
      if (this.mf) {
        await this.mf.setOptions(options);
      } else {
        this.mf = new mfm.Miniflare(options);
      }
      await this.mf.ready;
    } catch (e) {
      await this.disposeInstance();
      const reason = e instanceof Error ? e.message : String(e);
      const error = new RuntimeStartError(
        `local Workers runtime could not start the account scripts (${scripts.map((s) => s.name).join(", ") || "none"}): ${reason}`,
        [...this.output],
      );
      this.failed = { fingerprint, error };
      throw error;
    }
    this.lastStartMs = Date.now() - started;
    this.starts += 1;
    this.fingerprint = fingerprint;
    this.failed = undefined;
    return this.mf;
  }

  private buildOptions(scripts: RuntimeScript[], mfm: MiniflareModule): MiniflareOptions {
    const supported = mfm.supportedCompatibilityDate;
    const runnable = scripts.filter((s) => {
      if (!isReservedName(s.name)) return true;
      this.warn({ scope: "account", script: s.name, message: "script name is reserved by the local runtime; not run" });
      return false;
    });
    this.accountNames = new Set(runnable.map((s) => s.name));
    const accountWorkers: WorkerOptions[] = [];
    for (const s of runnable) {
      try {
        const built = accountWorkerOptions(s, this.accountNames, supported);
        built.warnings.forEach((message) => this.warn({ scope: "account", script: s.name, message }));
        accountWorkers.push(built.options);
      } catch (e) {
        // A script the runtime cannot even describe to workerd (bad module name/type): leave it out, say why.
        this.accountNames.delete(s.name);
        this.warn({ scope: "account", script: s.name, message: `not run: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    const targets: Record<string, string> = {};
    const entryServices: Record<string, string> = {};
    [...this.accountNames].forEach((name, i) => {
      targets[name] = `SCRIPT_${i}`;
      entryServices[`SCRIPT_${i}`] = name;
    });
    const internalDate = clampCompatibilityDate(INTERNAL_COMPATIBILITY_DATE, supported).date;
    const registry = this.registry;
    const Response = mfm.Response;
    const registryService = async (request: MfRequest) => {
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : new Uint8Array(await request.arrayBuffer());
      const req: RegistryRequest = { method: request.method, url: request.url, body, header: (n) => request.headers.get(n) };
      const res = await registry.handle(req);
      return new Response(res.body ?? null, { status: res.status, headers: res.headers });
    };
    // Account scripts whose static assets ENTRY serves before running them.
    const withAssets = runnable.filter((s) => s.assets !== undefined && this.accountNames.has(s.name)).map((s) => s.name);
    return {
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new mfm.NoOpLog(),
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        this.pipeOutput(stdout);
        this.pipeOutput(stderr);
      },
      workers: [
        {
          name: ENTRY_WORKER,
          compatibilityDate: internalDate,
          modules: [{ type: "ESModule", path: "entry.mjs", contents: ENTRY_SOURCE }],
          modulesRoot: "/",
          bindings: { TARGETS: targets, WITH_ASSETS: withAssets },
          serviceBindings: { ...entryServices, REGISTRY: registryService },
        },
        {
          name: INTERNAL_WORKER,
          compatibilityDate: internalDate,
          compatibilityFlags: ["enable_ctx_exports"],
          modules: [{ type: "ESModule", path: "internal.mjs", contents: INTERNAL_SOURCE }],
          modulesRoot: "/",
          workerLoaders: { LOADER: {} },
          // Tenants' own Durable Object classes run as facets of these objects (internal-workers.ts).
          durableObjects: { TENANT_OBJECTS: { className: "TenantObject", useSQLite: true } },
          serviceBindings: {
            ENTRY: ENTRY_WORKER,
            REGISTRY: registryService,
          },
        },
        ...accountWorkers,
      ],
    } as MiniflareOptions;
  }

  private pipeOutput(stream: Readable): void {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        this.output.push(line);
        if (this.output.length > OUTPUT_LINES) this.output.shift();
        if (this.options.onLog) this.options.onLog(line);
        else process.stderr.write(`[workerd] ${line}\n`);
      }
    });
  }

  private async disposeInstance(): Promise<void> {
    const mf = this.mf;
    this.mf = undefined;
    this.fingerprint = undefined;
    if (!mf) return;
    try {
      await mf.dispose();
    } catch {
      // dispose() re-raises a failed start; the instance is gone either way.
    }
  }

  private warn(w: RuntimeWarning): void {
    const id = `${w.scope}\u0000${w.script}\u0000${w.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.warningList.push(w);
    if (this.options.onWarning) this.options.onWarning(w);
    else console.warn(`[workers runtime] ${w.scope} script '${w.script}': ${w.message}`);
  }
}

function fingerprintOf(s: RuntimeScript): unknown[] {
  return [
    s.name,
    s.etag,
    s.mainModule,
    s.bindings,
    s.compatibilityDate,
    s.compatibilityFlags,
    s.modules.map((m) => [m.name, m.contentType]),
    s.assets !== undefined,
    s.durableObjectNamespaces ?? {},
  ];
}
