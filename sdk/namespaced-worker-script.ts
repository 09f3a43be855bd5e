import * as pulumi from "@pulumi/pulumi";
import { CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { DispatchNamespace } from "./dispatch-namespace";
import { takeImportOption } from "./import-option";
import type { Bindable } from "./bindable";
import type { BindingSpec } from "../provider";
import { providerFor } from "./provider-shim";
import { SECRET_WORKER_OUTPUTS, WorkerArgs, workerInputs } from "./worker-args";

export interface NamespacedWorkerScriptArgs extends WorkerArgs, CloudflareCredentialArgs {
  /**
   * The dispatch namespace to upload into: the `DispatchNamespace` resource (renaming it then costs
   * the script nothing), or its name. Another namespace moves the script: upload there, delete here.
   */
  namespace: DispatchNamespace | pulumi.Input<string>;
  /** The script's name in the namespace (what the dispatcher's `get(name)` takes). Defaults to the resource name. Changing it replaces the script. */
  name?: pulumi.Input<string>;
}

/**
 * A tenant ("user") Worker in a Workers for Platforms dispatch namespace.
 *
 * Each create or update is one upload carrying code, bindings, compatibility settings, tags and
 * limits. Code from `entrypoint` is bundled during preview, so a code change shows as an update of
 * `contentHash`; state keeps the hash, not the bundle. Secret bindings are encrypted in state.
 *
 * Import an existing script with `{ import: "<namespace>/<name>" }`: it must exist, and configuration
 * the program leaves undeclared (bindings, compatibility, tags, limits, ...) is kept as Cloudflare has it.
 */
export class NamespacedWorkerScript extends pulumi.dynamic.Resource implements Bindable {
  /** The script's name in the namespace. */
  declare readonly scriptName: pulumi.Output<string>;
  /** The dispatch namespace's name. */
  declare readonly namespace: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string>;
  /** Cloudflare's hash of the uploaded content. */
  declare readonly etag: pulumi.Output<string>;
  /** sha256 of the uploaded code modules. */
  declare readonly contentHash: pulumi.Output<string>;
  declare readonly createdOn: pulumi.Output<string>;
  declare readonly modifiedOn: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  /** The event handlers the script exports, e.g. `["fetch"]`. */
  declare readonly handlers: pulumi.Output<string[]>;

  constructor(name: string, args: NamespacedWorkerScriptArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    const namespace = args.namespace instanceof DispatchNamespace ? args.namespace.namespace : args.namespace;
    // With the resource, its immutable id tells a rename (nothing to do) from a move to another namespace.
    const namespaceId = args.namespace instanceof DispatchNamespace ? args.namespace.namespaceId : undefined;
    super(
      providerFor("NamespacedWorkerScript"),
      name,
      {
        namespace,
        namespaceId,
        scriptName: args.name ?? name,
        ...workerInputs(args),
        importFrom: importId,
        ...credentialInputs(args),
        // Outputs, declared so the class's properties are populated.
        contentHash: undefined,
        etag: undefined,
        createdOn: undefined,
        modifiedOn: undefined,
        handlers: undefined,
      },
      {
        ...options,
        additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS, ...SECRET_WORKER_OUTPUTS],
      },
      "cloudflare-wfp",
      "NamespacedWorkerScript",
    );
    if (importId !== undefined) {
      pulumi.log.info(`import: the existing script '${importId}' will be taken over and its code replaced by this program's (fails if it does not exist)`, this);
    }
  }

  /**
   * Cloudflare offers no service binding to a Worker inside a dispatch namespace: bind the namespace
   * (`bindings: { TENANTS: namespace }`) and call `env.TENANTS.get(name)`. Says so at preview.
   */
  asBinding(): pulumi.Output<BindingSpec> {
    throw new Error(
      "a NamespacedWorkerScript cannot be bound directly: Cloudflare has no service binding into a dispatch namespace. " +
        "Bind its DispatchNamespace instead (bindings: { TENANTS: namespace }) and call env.TENANTS.get(scriptName).",
    );
  }
}
