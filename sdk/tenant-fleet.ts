import * as pulumi from "@pulumi/pulumi";
import type { TenantState } from "../provider";
import { StoredTenantStates, tenantStatesOf } from "../provider/fleet/states";
import { CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { DispatchNamespace } from "./dispatch-namespace";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";
import { packedFleet } from "./fleet-packing";
import type { WorkerArgs } from "./worker-args";

/** One tenant of a fleet: the code and configuration a NamespacedWorkerScript takes, without its namespace and name. */
export type TenantArgs = WorkerArgs;

export interface TenantFleetArgs extends CloudflareCredentialArgs {
  /**
   * The dispatch namespace every tenant is uploaded into: the `DispatchNamespace` resource (renaming
   * it then costs nothing), or its name. Another namespace replaces the fleet: every tenant is
   * uploaded there, then deleted here.
   * @example tenants // a DispatchNamespace, or "customer-workers"
   */
  namespace: DispatchNamespace | pulumi.Input<string>;
  /**
   * The tenants: script name (1-63 lowercase letters, digits, '-' and '_'; what
   * `env.DISPATCHER.get(name)` takes) → its code and configuration, every field as for a
   * `NamespacedWorkerScript` and merged over `defaults`. Adding a name uploads it, changing one
   * re-uploads only that tenant, removing one deletes its script (see `release`).
   * @example { "customer-a": { bindings: { PLAN: "pro" }, tags: ["plan-pro"] }, "customer-b": { entrypoint: "src/custom.ts" } }
   */
  tenants: Record<string, TenantArgs>;
  /**
   * What every tenant shares, merged under each tenant's own spec: a tenant's field wins whole,
   * except `bindings`, merged name by name (the tenant's binding of a name wins). A tenant giving its
   * own `content` or `entrypoint` takes neither code field from here. Tenants sharing code are built
   * and hashed once.
   * @default nothing shared: each tenant gives its own code
   * @example { entrypoint: "src/tenant-worker.ts", compatibilityDate: "2025-01-01", bindings: { API: service("api") } }
   */
  defaults?: TenantArgs;
  /**
   * Tenants leaving the fleet whose scripts stay in Cloudflare: state forgets them instead of
   * deleting them. For moving a tenant to a standalone `NamespacedWorkerScript` (README: "Moving a
   * tenant"). A name may not be both here and in `tenants`; a name the fleet never had is ignored.
   * @default none: a tenant removed from `tenants` is deleted
   * @example ["customer-a"]
   */
  release?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Many tenant Workers of one dispatch namespace as one resource. The Pulumi engine spends a fixed
 * time on each resource of every command, which at thousands of `NamespacedWorkerScript`s is minutes
 * for a preview that changes nothing; a fleet pays it once. Each tenant is uploaded exactly as a
 * `NamespacedWorkerScript` would upload it.
 *
 * `preview` shows `changes`, a one-line summary ("2 to create: a, b; 1 to update: c (content)"),
 * and with `--diff` each changed tenant (each tenant is registered as one JSON text of its spec).
 * `up` uploads only tenants whose code or configuration changed, each distinct code built once, in
 * parallel under the provider's request pacing. If some tenants fail, the others are kept in state
 * and the next `up` continues.
 * `refresh` lists the namespace (one request per 1000 scripts): a tenant changed outside Pulumi is
 * uploaded again by the next `up`. State keeps per tenant a fingerprint and Cloudflare's etag,
 * encrypted as one secret (`scripts`), not its code or bindings.
 *
 * @example
 * new TenantFleet("customers", {
 *   namespace: tenants,
 *   defaults: { entrypoint: "src/tenant-worker.ts", compatibilityDate: "2025-01-01" },
 *   tenants: Object.fromEntries(customers.map((c) => [c.id, { bindings: { PLAN: c.plan }, tags: [c.plan] }])),
 * });
 *
 * Type token: `pulumi-nodejs:dynamic/cloudflare-wfp:TenantFleet`.
 */
export class TenantFleet extends pulumi.dynamic.Resource {
  /** The dispatch namespace's name. */
  declare readonly namespace: pulumi.Output<string>;
  /** The account the namespace belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /**
   * Per tenant script: the fingerprint of its last upload, Cloudflare's etag and modification time,
   * and `drifted` when `pulumi refresh` found it changed outside Pulumi. Secret: the fingerprint
   * covers secret binding values.
   */
  declare readonly scripts: pulumi.Output<Record<string, TenantState>>;

  constructor(name: string, args: TenantFleetArgs, opts?: pulumi.CustomResourceOptions) {
    const ns = args.namespace;
    const location = DispatchNamespace.isInstance(ns) ? { namespace: ns.namespace, namespaceId: ns.namespaceId } : { namespace: ns };
    const { tenants, tenantSecrets, defaults } = packedFleet(args.tenants ?? {}, args.defaults);
    super(
      providerFor("TenantFleet"),
      name,
      registrationProps(
        {
          ...location,
          tenants,
          tenantSecrets,
          defaults,
          release: args.release,
          ...credentialInputs(args),
        },
        ["accountId", "scripts"],
      ),
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS, "scripts"] },
      MODULE,
      "TenantFleet",
    );
    // State holds the map as one text (a line per tenant), which the engine moves as one value instead of four per tenant.
    this.scripts = (this.scripts as pulumi.Output<unknown>).apply((stored) => tenantStatesOf(stored as StoredTenantStates));
  }

  /** Whether `obj` is a TenantFleet, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is TenantFleet {
    return isResourceOfKind(obj, "TenantFleet");
  }
}
