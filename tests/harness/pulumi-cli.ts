/**
 * The `pulumi` binary as a user runs it in a terminal: a child process, non-interactive, no colour.
 * A spec can kill a run hard (CLI, language host, program and provider at once), the way a crashed
 * CI runner ends it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { engineRoot } from "../../toolchain/engine-env";
import { killProcessTree } from "./kill-tree";

export interface CliResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they interleaved. */
  output: string;
}

export interface CliOptions {
  cwd: string;
  env: Record<string, string>;
}

export interface CliRun {
  /** Everything printed so far. */
  output(): string;
  exited: Promise<CliResult>;
  /** SIGKILL to the CLI and every process below it. */
  killHard(): void;
  /** SIGKILL to the CLI's process group only, as a terminal or CI runner ends a job: plugins in groups of their own are not killed. */
  killGroup(): void;
}

export function startCli(args: string[], options: CliOptions): CliRun {
  const child = spawn(path.join(engineRoot, "bin", "pulumi"), [...args, "--non-interactive", "--color", "never"], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk), (output += chunk)));
  child.stderr.on("data", (chunk: Buffer) => ((stderr += chunk), (output += chunk)));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, output }));
  });
  return {
    output: () => output,
    exited,
    killHard: () => killProcessTree(child.pid!),
    killGroup: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

export function cli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).exited;
}
