/**
 * The emulator as a user starts it: the installed package's `pulumi-cloudflare-wfp-emulator` bin,
 * in its own process, read and steered only over HTTP (the v4 API with its token, and the control
 * endpoints under /__emulator).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { edgeRequest, type EdgeResponse } from "../../../emulator/edge-client";
import type { FaultConfig } from "../../../emulator/faults";
import type { RequestLogEntry } from "../../../emulator/request-log";
import type { PersistedState } from "../../../emulator/state";
import { installDir, installedModules, repoRoot } from "./paths";

/** Starts the exported emulator with the JSON options in argv, prints its env lines as the bin does, stops on SIGTERM. */
const FROM_EXPORT = `
const { startEmulator } = require("pulumi-cloudflare-wfp/emulator");
startEmulator(JSON.parse(process.argv[1])).then((emu) => {
  for (const [key, value] of Object.entries(emu.env)) console.log(key + "=" + value);
  process.on("SIGTERM", () => emu.close().then(() => process.exit(0)));
});`;

export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (and EDGE_URL with an edge), as the bin printed them. */
    readonly env: Record<string, string>,
  ) {}

  /**
   * Without options: the bin, as examples/README.md runs it. With options (several accounts and tokens,
   * which the bin's flags cannot express): the installed package's `pulumi-cloudflare-wfp/emulator` export.
   */
  static async start(options?: Record<string, unknown>): Promise<EmulatorProcess> {
    return options
      ? EmulatorProcess.spawn(process.execPath, ["-e", FROM_EXPORT, JSON.stringify({ port: 0, ...options })], { cwd: installDir })
      : EmulatorProcess.spawn(path.join(installedModules, ".bin", "pulumi-cloudflare-wfp-emulator"), ["--port", "0"]);
  }

  /** The bin with `--data <dir>`, as a user keeps the emulator's state across restarts. */
  static async startWithData(dataDir: string): Promise<EmulatorProcess> {
    return EmulatorProcess.spawn(path.join(installedModules, ".bin", "pulumi-cloudflare-wfp-emulator"), ["--port", "0", "--data", dataDir]);
  }

  /**
   * This checkout's emulator (the same build the package ships) with its edge, which runs the deployed
   * Workers in workerd: miniflare, the optional peer dependency it needs, is this repository's, not
   * the user install's. Send requests to it with `edge(host, path)`.
   */
  static async startWithEdge(): Promise<EmulatorProcess> {
    return EmulatorProcess.spawn(process.execPath, [path.join(repoRoot, "dist", "emulator", "cli.js"), "--port", "0", "--edge-port", "0"]);
  }

  /**
   * Any command that prints the bin's settings lines (e.g. this checkout's `dist/emulator/cli.js`); waits for
   * CLOUDFLARE_BASE_URL, _API_TOKEN, _ACCOUNT_ID and, when `--edge-port` is among the arguments, EDGE_URL.
   */
  static async spawn(command: string, args: string[], options: { cwd?: string } = {}): Promise<EmulatorProcess> {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "inherit"] });
    const wanted = [
      "CLOUDFLARE_BASE_URL",
      "CLOUDFLARE_API_TOKEN",
      "CLOUDFLARE_ACCOUNT_ID",
      ...(args.includes("--edge-port") ? ["EDGE_URL"] : []),
    ];
    const env: Record<string, string> = {};
    await new Promise<void>((resolve, reject) => {
      let text = "";
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`the emulator exited (${code}) before it printed its settings:\n${text}`)));
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk;
        for (const m of text.matchAll(/^(CLOUDFLARE_[A-Z_]+|EDGE_URL)=(.*)$/gm)) env[m[1]] = m[2];
        if (wanted.every((k) => env[k])) resolve();
      });
    });
    child.removeAllListeners("exit");
    return new EmulatorProcess(child, env);
  }

  get accountId(): string {
    return this.env.CLOUDFLARE_ACCOUNT_ID;
  }

  private get origin(): string {
    return new URL(this.env.CLOUDFLARE_BASE_URL).origin;
  }

  private async control<T>(method: string, what: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/__emulator/${what}`, {
      method,
      // The control token defaults to the API token (the bin prints it as EMULATOR_CONTROL_TOKEN too).
      headers: {
        authorization: `Bearer ${this.env.CLOUDFLARE_API_TOKEN}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const envelope = (await res.json()) as { success: boolean; result: T; errors: unknown[] };
    if (!envelope.success) throw new Error(`${method} /__emulator/${what}: ${JSON.stringify(envelope.errors)}`);
    return envelope.result;
  }

  async requests(): Promise<RequestLogEntry[]> {
    return (await this.control<{ entries: RequestLogEntry[] }>("GET", "requests")).entries;
  }

  /** Requests that could change something (not GET). */
  async writes(): Promise<string[]> {
    return (await this.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  }

  async clearRequests(): Promise<void> {
    await this.control("DELETE", "requests");
  }

  async faults(config: FaultConfig): Promise<void> {
    await this.control("POST", "faults", config);
  }

  async clearFaults(): Promise<void> {
    await this.control("DELETE", "faults");
  }

  /** Every account as stored (namespaces with their scripts, account scripts, zones with routes, KV). */
  async accounts(): Promise<PersistedState["accounts"]> {
    return (await this.control<Omit<PersistedState, "defaultApiToken">>("GET", "state")).accounts;
  }

  /** The default account, the one CLOUDFLARE_ACCOUNT_ID names. */
  async account(): Promise<PersistedState["accounts"][number]> {
    return (await this.accounts()).find((a) => a.id === this.accountId)!;
  }

  /** Whether a Worker's secret holds `value` (the emulator never shows a secret's value, like Cloudflare); `namespace` for a tenant. */
  async secretMatches(where: { namespace?: string; script: string; name: string }, value: unknown): Promise<boolean> {
    return (await this.control<{ matches: boolean }>("POST", "secret-match", { ...where, value })).matches;
  }

  /** What Cloudflare does once it finds a customer's records: one verification step of a custom hostname, or all of them. */
  async advanceCustomHostname(
    hostname: string,
    options: { untilActive?: boolean } = {},
  ): Promise<{ status: string; ssl: { status: string } }> {
    return this.control("POST", "custom-hostnames/advance", { hostname, untilActive: options.untilActive ?? false });
  }

  /** A Cloudflare v4 call as any client makes it: bearer token, JSON or multipart body; returns `result`, throws on failure. */
  async api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${this.env.CLOUDFLARE_BASE_URL}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${this.env.CLOUDFLARE_API_TOKEN}`,
        ...(body === undefined || isForm ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const envelope = (await res.json()) as { success: boolean; result: T; errors: unknown[] };
    if (!envelope.success) throw new Error(`${method} ${apiPath}: ${res.status} ${JSON.stringify(envelope.errors)}`);
    return envelope.result;
  }

  /** A request through the edge (started by `startWithEdge`), like `curl -H 'Host: <host>' $EDGE_URL<path>`. */
  async edge(host: string, urlPath: string): Promise<EdgeResponse> {
    if (!this.env.EDGE_URL) throw new Error("this emulator runs no edge: start it with EmulatorProcess.startWithEdge()");
    return edgeRequest({ port: Number(new URL(this.env.EDGE_URL).port) }, host, urlPath);
  }

  /** SIGKILL, sent at once: no shutdown code runs (what a crash leaves). Resolves once the process is gone. */
  kill(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGKILL");
    return exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}
