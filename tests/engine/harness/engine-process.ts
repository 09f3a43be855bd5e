/**
 * `pulumi up` as a plain child process that a spec can kill hard, the way a crashed CI runner or a
 * closed laptop ends it: SIGKILL to its whole process group (CLI, language host, program and
 * provider, which the engine starts in a process group of its own), with no chance to save state or
 * release the stack's lock.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { killProcessTree } from "../../harness/kill-tree";
import { engineRoot } from "./paths";
import type { TestStack } from "./test-stack";

export interface EngineProcess {
  /** Everything the CLI printed so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGKILL to the CLI and every process it started. */
  killHard(): void;
}

export function startUp(stack: TestStack): EngineProcess {
  const child = spawn(
    path.join(engineRoot, "bin", "pulumi"),
    ["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never", "--stack", "test"],
    {
      cwd: stack.dir,
      env: { ...process.env, ...stack.stack.workspace.envVars },
      detached: true, // its own process group, so the kill reaches the plugins too
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    killHard: () => killProcessTree(child.pid!),
  };
}
