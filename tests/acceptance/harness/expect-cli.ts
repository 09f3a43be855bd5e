import type { CliResult } from "../../harness/pulumi-cli";

/** Asserts a command succeeded; on failure the message carries everything it printed. */
export function expectSuccess(result: CliResult): void {
  expect({ code: result.code, output: result.code === 0 ? "(succeeded)" : result.output }).toEqual({ code: 0, output: "(succeeded)" });
}

/**
 * `pulumi` in a project, each command asserted to succeed and its output kept in `printed`: for a
 * spec that checks, once at the end, that no secret appears in anything the CLI printed.
 */
export function succeedingPulumi(
  project: { pulumi(...args: string[]): Promise<CliResult> },
  printed: string[],
): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    const result = await project.pulumi(...args);
    printed.push(result.output);
    expectSuccess(result);
    return result;
  };
}

/** Asserts a command failed (exited non-zero, not killed); returns its output. */
export function expectFailure(result: CliResult): string {
  expect({ failed: result.code !== 0 && result.code !== null, output: result.code === 0 ? result.output : "(failed)" }).toEqual({
    failed: true,
    output: "(failed)",
  });
  return result.output;
}

/** The counts of the closing "Resources:" block, e.g. { create: 3 } or { unchanged: 6 }. */
export function resourceSummary(output: string): Record<string, number> {
  const block = output.slice(output.lastIndexOf("Resources:"));
  const counts: Record<string, number> = {};
  for (const m of block.matchAll(
    /^\s+[+~\-±]?\s*(\d+) (to create|created|to update|updated|to delete|deleted|to replace|replaced|unchanged)/gm,
  )) {
    counts[m[2].replace(/^to /, "")] = Number(m[1]);
  }
  return counts;
}
