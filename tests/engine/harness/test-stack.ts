/**
 * A Pulumi stack in the test workspace, driven through the Automation API with the Go-built CLI and a
 * local file backend, its provider process pointed at an emulator.
 */
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineEnv } from "../../../toolchain/engine-env";
import { engineRoot, programsRoot, repoRoot, workspaceRoot } from "./paths";

export interface StackOptions {
  /** Folder under tests/engine/programs holding Pulumi.yaml and index.ts, or `examples/<name>` for a shipped example. */
  program: string;
  /** Environment for the engine and the provider process (Cloudflare credentials, base URL...). */
  env: Record<string, string>;
  config?: Record<string, string | { value: string; secret: true }>;
  /** A workspace with its own installed package (node_modules); default: the current package's. */
  workspace?: string;
}

let counter = 0;

export class TestStack {
  private constructor(
    readonly stack: Stack,
    readonly dir: string,
    readonly backendDir: string,
  ) {}

  static async create(options: StackOptions): Promise<TestStack> {
    const id = `${path.basename(options.program)}-${process.pid}-${++counter}`;
    const workspace = options.workspace ?? workspaceRoot;
    const dir = path.join(workspace, "stacks", id);
    const backendDir = path.join(workspace, "backends", id);
    fs.mkdirSync(backendDir, { recursive: true });
    const source = options.program.startsWith("examples/")
      ? path.join(repoRoot, options.program)
      : path.join(programsRoot, options.program);
    fs.cpSync(source, dir, { recursive: true });

    const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
    const envVars = {
      ...engineEnv({
        backendDir,
        pulumiHome: path.join(workspace, ".pulumi-home"),
        passphrase: "engine-tests",
        // `npm run typecheck:examples` type-checks these programs before any spec runs; ts-node's own
        // check would cost about six seconds on the first run of each stack's new folder.
        checkProgramTypes: false,
      }),
      ...options.env,
    };
    const stack = await LocalWorkspace.createStack({ stackName: "test", workDir: dir }, { pulumiCommand, envVars });
    const ts = new TestStack(stack, dir, backendDir);
    await ts.setConfig(options.config ?? {});
    return ts;
  }

  /** All keys in one `pulumi config set-all`: a command costs the CLI's start and a read of the stack. */
  async setConfig(config: Record<string, string | { value: string; secret: true }>): Promise<void> {
    const entries = Object.entries(config);
    if (entries.length === 0) return;
    await this.stack.setAllConfig(Object.fromEntries(entries.map(([key, value]) => [key, typeof value === "string" ? { value } : value])));
  }

  /** All keys in one `pulumi config rm-all`. */
  async removeConfig(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.stack.removeAllConfig(keys);
  }

  /** Runs `pulumi up`; returns the full text output and the summary. */
  async up() {
    let output = "";
    const result = await this.stack.up({ onOutput: (s) => (output += s), color: "never" });
    return { ...result, output };
  }

  async preview() {
    const result = await this.stack.preview({ diff: true, color: "never" });
    return { ...result, output: result.stdout + result.stderr };
  }

  async refresh() {
    const result = await this.stack.refresh({ color: "never" });
    return { ...result, output: result.stdout + result.stderr };
  }

  async destroy() {
    return this.stack.destroy({ color: "never" });
  }

  /** Everything the backend keeps (state, history, backups): what must never hold a secret in plain text. */
  allBackendText(): string {
    const texts: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else texts.push(fs.readFileSync(full, "utf8"));
      }
    };
    walk(this.backendDir);
    return texts.join("\n");
  }

  async dispose(): Promise<void> {
    await this.stack.workspace.removeStack("test", { force: true }).catch(() => undefined);
  }
}
