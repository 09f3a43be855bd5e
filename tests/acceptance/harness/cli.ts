/**
 * The `pulumi` binary as a user runs it in a terminal: a child process, non-interactive, no colour.
 * A spec can kill a run hard (CLI, language host, program and provider at once), the way a crashed
 * CI runner ends it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineRoot } from "./paths";

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
  return { output: () => output, exited, killHard: () => killTree(child.pid!) };
}

/**
 * The engine starts each plugin (the dynamic provider among them) in a process group of its own, so
 * a signal to the CLI's group leaves the provider running and uploading; walk the tree instead.
 */
function killTree(root: number): void {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, ...
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  const tree: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue = queue.concat(children.get(pid) ?? []);
  }
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

export function cli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).exited;
}
