import * as pulumi from "@pulumi/pulumi";
import type { BindingSpec } from "../provider";
import type { Bindable } from "./bindable";
import { CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";

export interface KVNamespaceArgs extends CloudflareCredentialArgs {
  /** The namespace's title, unique in the account. Changing it renames the namespace in place. */
  title: pulumi.Input<string>;
  /** Take over a namespace with this title if one exists, instead of failing. */
  adopt?: pulumi.Input<boolean>;
}

/**
 * A Workers KV namespace. Give the resource itself as a binding (`bindings: { TENANT_DATA: kv }`)
 * to bind it by id. Import an existing one with `{ import: "<namespace id>" }`.
 */
export class KVNamespace extends pulumi.dynamic.Resource implements Bindable {
  declare readonly title: pulumi.Output<string>;
  /** Cloudflare's id of the namespace (32 hex characters); also the Pulumi resource id. */
  declare readonly namespaceId: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string>;
  declare readonly supportsUrlEncoding: pulumi.Output<boolean>;
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
    if (importId !== undefined) announceImport(this, `import: the existing KV namespace ${importId} will be adopted, not created; afterwards the import option may be removed`);
  }

  /**
   * Reads an existing KV namespace without managing it.
   *
   * @param id the namespace's id (32 hex characters), the id a managed KVNamespace has.
   * @param state credentials, if not from the stack config or environment.
   * @example const data = KVNamespace.get("data", "0f2ac74b498b48028cb68387c421e279");
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CloudflareCredentialArgs, opts?: pulumi.CustomResourceOptions): KVNamespace {
    return new KVNamespace(name, { ...state } as KVNamespaceArgs, { ...opts, id });
  }

  /** Whether `obj` is a KVNamespace, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is KVNamespace {
    return isResourceOfKind(obj, "KVNamespace");
  }

  /** As a Worker binding: `env.NAME` is this namespace. */
  asBinding(): pulumi.Output<BindingSpec> {
    return pulumi.output({ type: "kv_namespace" as const, namespace_id: this.namespaceId });
  }
}
