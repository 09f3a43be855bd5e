/**
 * What a `pulumi up` costs before any resource: the CLI, the language host and a TypeScript program
 * with no resources (bench/empty-program), timed the way the bench times ours. The peer comparison
 * shows it, because at a few tenants most of a command is this, whatever a package does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { workspaceRoot } from "./workspace";
import { engineEnv, repoRoot } from "../../toolchain/engine-env";
import { operationArgs, runPulumi } from "./pulumi-cli";

/** The median wall time of `runs` no-op `pulumi up --skip-preview`s of a program with no resources, after one that creates its stack. */
export async function emptyProgramNoopUpMs(runs = 3): Promise<number> {
  const dir = path.join(workspaceRoot, "stacks", "empty");
  const backendDir = path.join(workspaceRoot, "backends", "empty");
  for (const d of [dir, backendDir]) fs.rmSync(d, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, "bench", "empty-program"), dir, { recursive: true });
  fs.mkdirSync(backendDir, { recursive: true });
  const env = engineEnv({ backendDir, pulumiHome: path.join(workspaceRoot, ".pulumi-home"), passphrase: "bench" });
  await runPulumi(["stack", "init", "bench", "--non-interactive"], { cwd: dir, env });
  await runPulumi(operationArgs("up", "bench", 0), { cwd: dir, env });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    await runPulumi(operationArgs("up", "bench", 0), { cwd: dir, env });
    times.push(Date.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
