import * as pulumi from "@pulumi/pulumi";
import type { BindingSpecOf } from "./runtime-env";
import type { Bindable } from "./bindable";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";

export interface KVNamespaceArgs extends CloudflareCredentialArgs {
  /**
   * The namespace's title, unique in the account, at most 512 characters. Changing it renames the
   * namespace in place; its id, and so every binding to it, stays.
   * @example "Tenant Configuration"
   */
  title: pulumi.Input<string>;
  /**
   * Take over a namespace with this title if one exists, instead of failing.
   * @default false
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * A Workers KV namespace. Give the resource itself as a binding (`bindings: { TENANT_DATA: kv }`)
 * to bind it by id.
 *
 * @example
 * const data = new KVNamespace("tenant-data", { title: "Tenant Configuration" });
 * new WorkerScript("router", { entrypoint: "src/router.ts", bindings: { TENANT_DATA: data } });
 *
 * ## Import
 * Take over an existing namespace with the `import` resource option and its id,
 * `{ import: "0f2ac74b498b48028cb68387c421e279" }` (a missing one fails at `preview`), or with
 * `adopt: true`. Type token: `pulumi-nodejs:dynamic/cloudflare-wfp:KVNamespace`.
 */
export class KVNamespace extends pulumi.dynamic.Resource implements Bindable {
  /** The namespace's title. */
  declare readonly title: pulumi.Output<string>;
  /** Cloudflare's id of the namespace (32 hex characters); also the Pulumi resource id. */
  declare readonly namespaceId: pulumi.Output<string>;
  /** The account the namespace belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /** Whether keys with special characters are URL-encoded by Cloudflare's API for this namespace. */
  declare readonly supportsUrlEncoding: pulumi.Output<boolean>;
  /** True when this resource took over an existing namespace rather than creating it. */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: KVNamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor("KVNamespace"),
      name,
      registrationProps({ title: args.title, adopt: args.adopt, importFrom: importId, ...credentialInputs(args) }, [
        "title",
        "namespaceId",
        "accountId",
        "supportsUrlEncoding",
        "adopted",
      ]),
      { ...options, additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS] },
      MODULE,
      "KVNamespace",
    );
    if (importId !== undefined)
      announceImport(
        this,
        `import: the existing KV namespace ${importId} will be adopted, not created; afterwards the import option may be removed`,
      );
  }

  /**
   * Reads an existing KV namespace without managing it.
   *
   * @param id the namespace's id (32 hex characters), the id a managed KVNamespace has.
   * @param state credentials, if not from the stack config or environment.
   * @example const data = KVNamespace.get("data", "0f2ac74b498b48028cb68387c421e279");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): KVNamespace {
    return new KVNamespace(name, { ...state } as KVNamespaceArgs, { ...opts, id });
  }

  /** Whether `obj` is a KVNamespace, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is KVNamespace {
    return isResourceOfKind(obj, "KVNamespace");
  }

  /** As a Worker binding: `env.NAME` is this namespace. */
  asBinding(): pulumi.Output<BindingSpecOf<"kv_namespace">> {
    return pulumi.output({ type: "kv_namespace" as const, namespace_id: this.namespaceId });
  }
}
