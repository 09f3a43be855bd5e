/**
 * One `pulumi` CLI command in a project, run the way a user or a CI job runs it, and the resource
 * counts of its closing summary.
 *
 * The benchmarks time these rather than the Automation API's operations: after the command itself,
 * `stack.up()` (and refresh, destroy) also runs `pulumi stack output` twice and `pulumi stack history`,
 * three more CLI runs that each read the whole state, which nobody running `pulumi up` pays.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { engineRoot } from "../../toolchain/engine-env";

export type Operation = "up" | "preview" | "refresh" | "destroy";

/** The arguments of each operation: `up`, `refresh` and `destroy` without their preview (as the Automation API runs them). */
export function operationArgs(operation: Operation, stackName: string, parallel: number): string[] {
  const common = ["--stack", stackName, "--non-interactive", "--color", "never", ...(parallel > 0 ? ["--parallel", String(parallel)] : [])];
  return operation === "preview" ? ["preview", ...common] : [operation, "--yes", "--skip-preview", ...common];
}

// The summary's lines: "    + 10 created", "    ~ 1 to update", "    3 unchanged".
const SUMMARY_LINE = /^\s+(?:[-+~]+\s+)?(\d+) (?:to )?(create|created|update|updated|delete|deleted|replace|replaced|unchanged)\s*$/gm;
const OP_NAMES: Record<string, string> = {
  created: "create",
  updated: "update",
  deleted: "delete",
  replaced: "replace",
  unchanged: "same",
};

/** Resource counts by operation (create, update, delete, replace, same) from a command's output. */
export function summaryChanges(output: string): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const [, count, word] of output.matchAll(SUMMARY_LINE)) changes[OP_NAMES[word] ?? word] = Number(count);
  return changes;
}

/**
 * Runs `pulumi <args>` in `cwd`; resolves with the summary's counts, rejects with the output's end on a non-zero exit.
 * `onStart` gets the CLI's process, which `detached` makes the leader of a process group of its own (as a terminal or a
 * CI job runs it), so that the group can be killed.
 */
export function runPulumi(
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    onOutput?: (text: string) => void;
    detached?: boolean;
    onStart?: (child: ChildProcess) => void;
  },
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(engineRoot, "bin", "pulumi"), args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: options.detached ?? false,
    });
    options.onStart?.(child);
    let output = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(summaryChanges(output));
      else reject(new Error(`pulumi ${args[0]} exited with ${code}:\n${output.split("\n").slice(-30).join("\n")}`));
    });
  });
}
