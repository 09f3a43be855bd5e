import * as pulumi from "@pulumi/pulumi";
import type { BindingSpec, WorkerRoute } from "../provider";
import type { Bindable } from "./bindable";
import { CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { takeImportOption } from "./import-option";
import { providerFor } from "./provider-shim";
import { SECRET_WORKER_OUTPUTS, WorkerArgs, workerInputs } from "./worker-args";

export interface WorkerScriptArgs extends WorkerArgs, CloudflareCredentialArgs {
  /** The script's name in the account. Defaults to the resource name. Changing it replaces the script. */
  name?: pulumi.Input<string>;
  /** Zone routes to this Worker, e.g. `{ pattern: "*.platform.example.com/*" }`; the zone is found from the host unless `zoneId` is given. */
  routes?: pulumi.Input<pulumi.Input<{ pattern: pulumi.Input<string>; zoneId?: pulumi.Input<string> }>[]>;
  /** Serve it on `<name>.<account subdomain>.workers.dev`. Left as Cloudflare has it when omitted. */
  workersDev?: pulumi.Input<boolean>;
}

/**
 * An account-level Worker: typically the dispatcher of a Workers for Platforms platform, bound to a
 * `DispatchNamespace` (`bindings: { TENANTS: namespace }`) and reached through zone routes.
 *
 * One upload per create or update carries code, bindings and configuration; routes and workers.dev
 * are applied after it, only when they change, and routes are removed before the script is deleted.
 * Import an existing script with `{ import: "<name>" }`.
 */
export class WorkerScript extends pulumi.dynamic.Resource implements Bindable {
  declare readonly scriptName: pulumi.Output<string>;
  declare readonly accountId: pulumi.Output<string>;
  declare readonly etag: pulumi.Output<string>;
  declare readonly contentHash: pulumi.Output<string>;
  declare readonly createdOn: pulumi.Output<string>;
  declare readonly modifiedOn: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly handlers: pulumi.Output<string[]>;
  declare readonly routes: pulumi.Output<WorkerRoute[] | undefined>;
  /** Cloudflare's route ids, by `"<zoneId> <pattern>"`. */
  declare readonly routeIds: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: WorkerScriptArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor("WorkerScript"),
      name,
      {
        scriptName: args.name ?? name,
        ...workerInputs(args),
        routes: args.routes,
        workersDev: args.workersDev,
        importFrom: importId,
        ...credentialInputs(args),
        contentHash: undefined,
        etag: undefined,
        createdOn: undefined,
        modifiedOn: undefined,
        handlers: undefined,
        routeIds: undefined,
      },
      {
        ...options,
        additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS, ...SECRET_WORKER_OUTPUTS],
      },
      "cloudflare-wfp",
      "WorkerScript",
    );
  }

  /** As another Worker's binding: a service binding to this script. */
  asBinding(): pulumi.Output<BindingSpec> {
    return pulumi.output({ type: "service" as const, service: this.scriptName });
  }
}
