import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";
import { CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { takeImportOption } from "./import-option";
import { providerFor } from "./provider-shim";
import { SECRET_WORKER_OUTPUTS, WorkerArgs, workerInputs } from "./worker-args";

export interface ScriptResourceArgs extends WorkerArgs, CloudflareCredentialArgs {
  /** The script's name. Defaults to the resource name. Changing it replaces the script. */
  name?: pulumi.Input<string>;
}

/** What every Worker script resource has: its inputs' translation, and the outputs Cloudflare reports. */
export abstract class ScriptResource extends pulumi.dynamic.Resource {
  /** The script's name. */
  declare readonly scriptName: pulumi.Output<string>;
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

  /** `extra`: the kind's own inputs (where it lives, its triggers) and outputs (declared as undefined). */
  protected constructor(kind: ResourceKind & ("NamespacedWorkerScript" | "WorkerScript"), name: string, args: ScriptResourceArgs, extra: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor(kind),
      name,
      {
        ...extra,
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
      kind,
    );
    if (importId !== undefined) {
      pulumi.log.info(`import: the existing script '${importId}' will be taken over and its code replaced by this program's (fails if it does not exist)`, this);
    }
  }
}
