/**
 * State bytes per tenant as a user measures them: the stack's checkpoint from the CLI's
 * `pulumi stack export`, in all and the TenantFleet resource alone, each divided by the tenant count.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { engineRoot } from "../../toolchain/engine-env";

export interface StateBytes {
  /** The `deployment` of `pulumi stack export` (every resource, the provider and the stack included), per tenant. */
  deploymentPerTenant: number;
  /** The TenantFleet resource's JSON alone, per tenant (what earlier runs recorded as `stateBytesPerTenant`). */
  fleetPerTenant: number;
}

/** Runs `pulumi stack export` in `cwd` and sizes what it prints. */
export function exportedStateBytes(options: {
  cwd: string;
  env: Record<string, string>;
  stack: string;
  tenants: number;
}): Promise<StateBytes> {
  return new Promise((resolve, reject) => {
    const args = ["stack", "export", "--stack", options.stack, "--non-interactive"];
    execFile(
      path.join(engineRoot, "bin", "pulumi"),
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`pulumi stack export failed: ${stderr}`));
        const { deployment } = JSON.parse(stdout) as { deployment: { resources?: Array<{ type: string }> } };
        const fleet = (deployment.resources ?? []).find((r) => r.type.endsWith(":TenantFleet"));
        const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));
        resolve({
          deploymentPerTenant: Math.round(bytes(deployment) / options.tenants),
          fleetPerTenant: Math.round(bytes(fleet) / options.tenants),
        });
      },
    );
  });
}
