/**
 * What a stack's state says of its TenantFleet, from `pulumi stack export --show-secrets` as a user reads it: the
 * tenants its inputs declare and the tenant scripts its `scripts` output records as deployed. Used by the
 * sharded-fleet bench and the acceptance spec of sharded stacks.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { type FleetSpecs, knownTenants } from "../provider/fleet/plan";
import { type StoredTenantStates, tenantStatesOf } from "../provider/fleet/states";
import { engineRoot } from "./engine-env";

export interface FleetInState {
  /** The tenants the fleet's inputs hold: what the last `up` was given. */
  declared: string[];
  /** The tenants its `scripts` output holds: what state says is in Cloudflare. */
  deployed: string[];
}

interface ExportedResource {
  type: string;
  inputs?: FleetSpecs;
  outputs?: { scripts?: StoredTenantStates | { plaintext: string } };
}

/** A secret output as `--show-secrets` prints it: its JSON in `plaintext`. */
function revealed(value: StoredTenantStates | { plaintext: string } | undefined): StoredTenantStates | undefined {
  if (value && typeof value === "object" && "plaintext" in value && typeof value.plaintext === "string") {
    return JSON.parse(value.plaintext) as StoredTenantStates;
  }
  return value as StoredTenantStates | undefined;
}

/** The fleet in what `pulumi stack export --show-secrets` printed; empty lists when the stack has no fleet. */
export function fleetOfExport(exported: string): FleetInState {
  const { deployment } = JSON.parse(exported) as { deployment: { resources?: ExportedResource[] } };
  const fleet = (deployment.resources ?? []).find((r) => r.type.endsWith(":TenantFleet"));
  return {
    declared: Object.keys((fleet?.inputs && knownTenants(fleet.inputs)) ?? {}).sort(),
    deployed: Object.keys(tenantStatesOf(revealed(fleet?.outputs?.scripts))).sort(),
  };
}

/** The stack's fleet as its state holds it; empty lists when the stack has no fleet. */
export function fleetInState(options: { cwd: string; env: Record<string, string>; stack: string }): Promise<FleetInState> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(engineRoot, "bin", "pulumi"),
      ["stack", "export", "--show-secrets", "--stack", options.stack, "--non-interactive"],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`pulumi stack export failed: ${stderr}`));
        resolve(fleetOfExport(stdout));
      },
    );
  });
}
