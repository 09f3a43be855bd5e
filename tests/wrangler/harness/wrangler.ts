/**
 * wrangler (the pinned devDependency) as one more client of the emulator: a child process in its own
 * project folder with a wrangler.toml, pointed at the emulator through CLOUDFLARE_API_BASE_URL and the
 * emulator's token and account, telemetry off, non-interactive (prompts take their CI defaults).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorProcess } from "../../acceptance/harness/emulator-process";
import { nodeCompileCacheDir } from "../../../toolchain/engine-env";

// wrangler's `exports` does not expose its bin script, only `./package.json`: the bin is found through the package's own `bin` field.
const WRANGLER_PACKAGE = require.resolve("wrangler/package.json");
const WRANGLER = path.join(
  path.dirname(WRANGLER_PACKAGE),
  (JSON.parse(fs.readFileSync(WRANGLER_PACKAGE, "utf8")) as { bin: { wrangler: string } }).bin.wrangler,
);

export interface WranglerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What wrangler asked the API for during one command: `METHOD path status`, the account id shown as `:a`, a zone id as `:z`. */
export type Calls = string[];

export class WranglerHome {
  /** Holds the project folders and wrangler's own config and logs (never the user's ~/.config). */
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "wrangler-conformance-"));

  constructor(private readonly emulator: EmulatorProcess) {}

  /** A project folder `name` with these files (e.g. wrangler.toml, index.js). */
  project(name: string, files: Record<string, string>): string {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
  }

  /** Runs `wrangler <args>` in `cwd` (default: the home folder); `input` is written to its stdin. */
  run(args: string[], options: { cwd?: string; input?: string } = {}): Promise<WranglerRun> {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: this.root, XDG_CONFIG_HOME: path.join(this.root, ".config") };
    Object.assign(env, {
      CLOUDFLARE_API_BASE_URL: this.emulator.env.CLOUDFLARE_BASE_URL,
      CLOUDFLARE_API_TOKEN: this.emulator.env.CLOUDFLARE_API_TOKEN,
      CLOUDFLARE_ACCOUNT_ID: this.emulator.env.CLOUDFLARE_ACCOUNT_ID,
      WRANGLER_SEND_METRICS: "false",
      CI: "true",
      NO_COLOR: "1",
      // Node keeps wrangler's compiled code between its runs: each run then skips compiling its bundle.
      NODE_COMPILE_CACHE: nodeCompileCacheDir,
    });
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: options.cwd ?? this.root, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c));
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? "");
    });
  }

  /** Runs a command that must succeed; answers its output and the API calls it made, in order. */
  async calls(args: string[], options: { cwd?: string; input?: string } = {}): Promise<{ output: string; calls: Calls }> {
    await this.emulator.clearRequests();
    const run = await this.run(args, options);
    if (run.code !== 0) throw new Error(`wrangler ${args.join(" ")} exited with ${run.code}:\n${run.stdout}\n${run.stderr}`);
    const account = this.emulator.accountId;
    const calls = (await this.emulator.requests()).map(
      (r) =>
        `${r.method} ${r.path.replace(`/accounts/${account}`, "/accounts/:a").replace(/^\/zones\/[0-9a-f]{32}/, "/zones/:z")} ${r.status}`,
    );
    return { output: run.stdout + run.stderr, calls };
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
