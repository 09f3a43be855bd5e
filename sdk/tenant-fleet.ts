import * as pulumi from "@pulumi/pulumi";
import type { TenantState } from "../provider";
import { type StoredTenantStates, tenantStatesOf } from "../provider/fleet/states";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { DispatchNamespace } from "./dispatch-namespace";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";
import { packedFleet } from "./fleet-packing";
import type { TenantHostnameArgs } from "./tenant-hostnames";
import type { WorkerArgs } from "./worker-args";

/** One tenant of a fleet: the code and configuration a NamespacedWorkerScript takes, without its namespace and name, and its customers' domains. */
export interface TenantArgs extends WorkerArgs {
  /**
   * The tenant's customers' domains, custom hostnames of the fleet's `zoneId`: created after the
   * tenant's script, edited in place when their settings change (a hostname given to another tenant
   * moves there, its verification kept), deleted when dropped and before the tenant's script is.
   * Checked at `preview` as a `CustomHostname` is (failures name `tenants.<name>.hostnames[<i>]`).
   * A released tenant's hostnames stay in Cloudflare with it.
   * @default no hostnames
   * @example [{ hostname: "shop.acme.com", customMetadata: { tenant: "acme" } }]
   */
  hostnames?: pulumi.Input<pulumi.Input<TenantHostnameArgs>[]>;
}

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
  defaults?: WorkerArgs;
  /**
   * Tenants leaving the fleet whose scripts stay in Cloudflare: state forgets them instead of
   * deleting them. For moving a tenant to a standalone `NamespacedWorkerScript` (docs/using/fleet.md:
   * "Moving a tenant"). A name may not be both here and in `tenants`; a name the fleet never had is ignored.
   * @default none: a tenant removed from `tenants` is deleted
   * @example ["customer-a"]
   */
  release?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The platform's zone (Cloudflare for SaaS enabled) the tenants' `hostnames` are custom hostnames
   * of, 32 hexadecimal characters; required once a tenant declares hostnames. The zone needs a
   * `FallbackOrigin` before its hostnames become active. Another zone moves every hostname there
   * (created there, deleted here).
   * @default none (required with hostnames)
   * @example "023e105f4ecef8ad9ca31a8372d0c353"
   */
  zoneId?: pulumi.Input<string>;
}

/**
 * Many tenant Workers of one dispatch namespace as one resource. The Pulumi engine spends a fixed
 * time on each resource of every command, which at thousands of `NamespacedWorkerScript`s is minutes
 * for a preview that changes nothing; a fleet pays it once. Each tenant is uploaded exactly as a
 * `NamespacedWorkerScript` would upload it.
 *
 * `preview` (with or without `--diff`) shows `changes`, one line counting each kind of change and
 * the unchanged tenants first (the CLI cuts a property at 150 characters), then naming each tenant
 * that changes with the properties that change: "1 to create, 1 to update, 1998 unchanged: create d;
 * update c (bindings.PLAN, limits)" (the first 20 names of each kind, then "and N more").
 * The tenants' specs are not printed, however many there are: they are registered where the CLI's
 * display does not show them, and a secret tenant's properties are named, never valued.
 * `up` uploads only tenants whose code or configuration changed, each distinct code built once, in
 * parallel under the provider's request pacing; a tenant whose tags or secrets alone changed gets
 * the tags call or one call per secret instead, as a `NamespacedWorkerScript` does. If some tenants fail, the others are kept in state
 * and the next `up` continues.
 * `refresh` lists the namespace (one request per 1000 scripts): a tenant changed outside Pulumi is
 * uploaded again by the next `up`, and the next preview's `changes` names it ("t-7 (changed outside
 * Pulumi)"). State keeps per tenant a fingerprint and Cloudflare's etag, encrypted as one secret
 * (`scripts`), not its code or bindings.
 *
 * ## Import
 * `{ import: "<namespace>" }` takes over the scripts of an existing namespace: a tenant whose script
 * already has exactly its code and configuration is adopted without an upload, any other is uploaded
 * (as is one with secret bindings, whose values Cloudflare never returns). Scripts of the namespace
 * that are not tenants are left alone. A namespace that does not exist fails at `preview`.
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
  /**
   * How many of the tenants' hostnames have each verification status, e.g. "98 active, 2 pending";
   * undefined while no tenant has hostnames. `pulumi refresh` reads them again (one list of the zone,
   * 50 hostnames per request); exported, `pulumi refresh --run-program` shows the change.
   */
  declare readonly hostnameStatuses: pulumi.Output<string | undefined>;

  constructor(name: string, args: TenantFleetArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    const ns = args.namespace ?? importId;
    const location = DispatchNamespace.isInstance(ns) ? { namespace: ns.namespace, namespaceId: ns.namespaceId } : { namespace: ns };
    const { tenants, tenantSecrets, defaults } = packedFleet(args.tenants ?? {}, args.defaults);
    super(
      providerFor("TenantFleet"),
      name,
      registrationProps(
        {
          ...location,
          // `__`-prefixed: the CLI's display skips these (as it skips `__provider`), so `preview --diff`
          // never prints every tenant of a changed map; `changes` names what changes instead.
          __tenants: args.tenants === undefined ? undefined : tenants,
          __defaults: defaults,
          tenantSecrets,
          release: args.release,
          zoneId: args.zoneId,
          importFrom: importId,
          ...credentialInputs(args),
        },
        ["accountId", "scripts", "hostnameStatuses"],
      ),
      {
        ...options,
        additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS, "scripts"],
        // Inputs written by earlier releases hold the specs as `tenants` and `defaults`: the first change
        // after upgrading prints one line for each instead of every tenant (SDKs from 3.276 send this).
        hideDiffs: [...(options.hideDiffs ?? []), "tenants", "defaults"],
      },
      MODULE,
      "TenantFleet",
    );
    // State holds the map as one text (a line per tenant), which the engine moves as one value instead of four per tenant.
    this.scripts = (this.scripts as pulumi.Output<unknown>).apply((stored) => tenantStatesOf(stored as StoredTenantStates));
    if (importId !== undefined) {
      announceImport(
        this,
        `import: the scripts of dispatch namespace '${importId}' become this fleet's tenants, each adopted without an upload where its code and configuration already match; afterwards the import option may be removed`,
      );
    }
  }

  /**
   * Reads the scripts of an existing dispatch namespace as a fleet, without managing them: `scripts`
   * has every script of the namespace with Cloudflare's etag and modification time.
   *
   * @param id the namespace's name, the id a managed TenantFleet has.
   * @param state credentials, if not from the stack config or environment.
   * @example const existing = TenantFleet.get("existing", "customer-workers");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): TenantFleet {
    return new TenantFleet(name, { ...state } as TenantFleetArgs, { ...opts, id });
  }

  /** Whether `obj` is a TenantFleet, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is TenantFleet {
    return isResourceOfKind(obj, "TenantFleet");
  }
}
