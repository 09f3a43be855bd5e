/**
 * A Pulumi stack in the test workspace, driven with the Go-built CLI and a local file backend, its
 * provider process pointed at an emulator. The Automation API creates the stack and sets its config;
 * `up`, `refresh` and `destroy` run as one CLI command each with the engine's event log, which carries
 * the summary and the stack's outputs: the Automation API's own `up` runs three more commands after
 * it (`stack output` twice, `stack history`), each a CLI start and a read of the whole state.
 */
import { LocalWorkspace, PulumiCommand, type EngineEvent, type OpMap, type OutputMap, type Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv } from "../../../toolchain/engine-env";
import { cli } from "../../harness/pulumi-cli";
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

/** What an `up`, `refresh` or `destroy` printed and reported, in the Automation API's shape where it has one. */
export interface OperationResult {
  stdout: string;
  stderr: string;
  /** stdout and stderr as they interleaved: everything the command printed. */
  output: string;
  summary: { result: "succeeded"; resourceChanges: OpMap };
  /** The stack's outputs after the command, as the event log gives them (a secret's value reads `[secret]`). */
  outputs: OutputMap;
  /** Every event the engine emitted. Diagnostics come once each here, whereas the text output repeats them. */
  events: EngineEvent[];
  /** The message of every diagnostic event (provider stderr included), in order. */
  diagnostics: string[];
}

let counter = 0;
/** The CLI, found once per worker: `PulumiCommand.get` runs `pulumi version` each time. */
let pulumiCommand: Promise<PulumiCommand> | undefined;

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

    pulumiCommand ??= PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
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
    const stack = await LocalWorkspace.createStack({ stackName: "test", workDir: dir }, { pulumiCommand: await pulumiCommand, envVars });
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

  /** Runs `pulumi up`: no preview first, as the Automation API runs it. */
  up(): Promise<OperationResult> {
    return this.operation("up", "--skip-preview");
  }

  async preview() {
    const result = await this.stack.preview({ diff: true, color: "never" });
    return { ...result, output: result.stdout + result.stderr };
  }

  refresh(...flags: string[]): Promise<OperationResult> {
    return this.operation("refresh", "--skip-preview", ...flags);
  }

  destroy(): Promise<OperationResult> {
    return this.operation("destroy", "--skip-preview");
  }

  /** One CLI command with its event log; a failed command rejects with everything it printed. */
  private async operation(command: string, ...flags: string[]): Promise<OperationResult> {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-events-"));
    const eventLog = path.join(logDir, "events.jsonl");
    try {
      const workspace = this.stack.workspace;
      const args = [command, "--yes", "--event-log", eventLog, "--stack", this.stack.name, ...flags];
      // The Automation API's own environment over the workspace's; `cli` adds --non-interactive and --color never.
      const env = { PULUMI_DEBUG_COMMANDS: "true", ...workspace.envVars };
      const { code, stdout, stderr, output } = await cli(args, { cwd: this.dir, env });
      if (code !== 0) throw new Error(`pulumi ${command} exited with code ${String(code)}:\n${output}`);
      const events = fs
        .readFileSync(eventLog, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as EngineEvent);
      const summary = events.find((e) => e.summaryEvent)?.summaryEvent;
      if (summary === undefined) throw new Error(`pulumi ${command} wrote no summary to its event log:\n${output}`);
      return {
        stdout,
        stderr,
        output,
        summary: { result: "succeeded", resourceChanges: summary.resourceChanges },
        outputs: stackOutputs(events),
        events,
        diagnostics: events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent.message] : [])),
      };
    } finally {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
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

  /**
   * Removes the stack's project folder and its backend's folder: what `pulumi stack rm --force` removes
   * (it destroys nothing in Cloudflare either), without a CLI start.
   */
  async dispose(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

/** The root stack's outputs as its last outputs event gives them. */
function stackOutputs(events: EngineEvent[]): OutputMap {
  const stackEvent = events.filter((e) => e.resOutputsEvent?.metadata.type === "pulumi:pulumi:Stack").pop();
  const outputs: Record<string, unknown> = stackEvent?.resOutputsEvent?.metadata.new?.outputs ?? {};
  return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { value, secret: value === "[secret]" }]));
}
