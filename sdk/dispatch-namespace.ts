import * as pulumi from "@pulumi/pulumi";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { providerFor } from "./provider-shims";
import { announceImport, takeImportOption } from "./import-option";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";
import type { Bindable } from "./bindable";
import type { BindingSpecOf } from "./runtime-env";

export interface DispatchNamespaceArgs extends CloudflareCredentialArgs {
  /**
   * The namespace's name in Cloudflare, unique in the account: 1-63 lowercase letters, digits and
   * dashes. Renaming updates it in place; its scripts go with it.
   * @example "customer-workers"
   */
  namespace: pulumi.Input<string>;
  /**
   * Take over a namespace of this name if it already exists, instead of failing. Destroying the
   * stack then deletes it, as for any managed resource.
   * @default false
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Run the namespace's Workers in trusted mode (`trusted_workers`: they may use `request.cf` and
   * the cache API like an account's own Workers).
   * @default left as Cloudflare has it (untrusted for a new namespace)
   */
  trustedWorkers?: pulumi.Input<boolean>;
}

/**
 * A Cloudflare Workers for Platforms dispatch namespace: the container tenant Workers are uploaded
 * into, and that a dispatcher Worker binds to with `env.NAMESPACE.get(name)`.
 *
 * @example
 * const tenants = new DispatchNamespace("tenants", { namespace: "customer-workers" });
 * new NamespacedWorkerScript("customer-a", { namespace: tenants, content: "export default { fetch() { return new Response('a') } }" });
 * new WorkerScript("router", { entrypoint: "src/router.ts", bindings: { TENANTS: tenants } });
 *
 * ## Import
 * Take over an existing namespace with the `import` resource option and its name,
 * `{ import: "customer-workers" }` (a missing one fails at `preview`), or with `adopt: true`. The CLI's
 * `pulumi import` does not work for dynamic resources. Type token:
 * `pulumi-nodejs:dynamic/cloudflare-wfp:DispatchNamespace`.
 */
export class DispatchNamespace extends pulumi.dynamic.Resource implements Bindable {
  /** The namespace's name. */
  declare readonly namespace: pulumi.Output<string>;
  /** Cloudflare's immutable id of the namespace (a UUID); also the Pulumi resource id. */
  declare readonly namespaceId: pulumi.Output<string>;
  /** The account the namespace belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /** The number of scripts in the namespace when last read (`pulumi refresh` updates it). */
  declare readonly scriptCount: pulumi.Output<number>;
  /** Whether the namespace runs its Workers in trusted mode. */
  declare readonly trustedWorkers: pulumi.Output<boolean>;
  /** When Cloudflare created the namespace (RFC 3339). */
  declare readonly createdOn: pulumi.Output<string>;
  /** When Cloudflare last changed the namespace (RFC 3339). */
  declare readonly modifiedOn: pulumi.Output<string>;
  /** True when this resource took over an existing namespace rather than creating it. */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: DispatchNamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor("DispatchNamespace"),
      name,
      registrationProps(
        {
          namespace: args.namespace ?? importId,
          adopt: args.adopt,
          trustedWorkers: args.trustedWorkers,
          importFrom: importId,
          ...credentialInputs(args),
        },
        ["namespace", "namespaceId", "accountId", "scriptCount", "trustedWorkers", "createdOn", "modifiedOn", "adopted"],
      ),
      withSecretOutputs(options),
      MODULE,
      "DispatchNamespace",
    );
    if (importId !== undefined && !opts?.id) {
      announceImport(
        this,
        `import: the existing dispatch namespace '${importId}' will be adopted, not created; afterwards the import option may be removed`,
      );
    }
  }

  /** Whether `obj` is a DispatchNamespace, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is DispatchNamespace {
    return isResourceOfKind(obj, "DispatchNamespace");
  }

  /** As a Worker binding: `env.NAME.get(tenant)` reaches this namespace's scripts. */
  asBinding(): pulumi.Output<BindingSpecOf<"dispatch_namespace">> {
    return pulumi.output({ type: "dispatch_namespace" as const, namespace: this.namespace });
  }

  /**
   * Reads an existing namespace without managing it: nothing is created, changed or deleted, and its
   * outputs (namespace, scriptCount, ...) come from Cloudflare.
   *
   * @param id the namespace's `namespaceId` (a UUID), the id a managed DispatchNamespace has.
   * @param state credentials, if not from the stack config or environment.
   * @example const shared = DispatchNamespace.get("shared", "5b5a2c8f-9f3c-4a57-9b1e-0c0e4a7d3e21");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): DispatchNamespace {
    return new DispatchNamespace(name, { ...state } as DispatchNamespaceArgs, { ...opts, id });
  }
}

function withSecretOutputs(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS] };
}
