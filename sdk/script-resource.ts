import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE } from "./type-tokens";
import { SECRET_WORKER_OUTPUTS, type WorkerArgs, workerInputs } from "./worker-args";

export interface ScriptResourceArgs extends WorkerArgs, CloudflareCredentialArgs {
  /**
   * The script's name: 1-63 lowercase letters, digits, '-' and '_' (for a tenant, what
   * `env.DISPATCHER.get(name)` takes). Changing it replaces the script. The `scriptName` output.
   * @default the resource's name
   * @example "customer-a-worker"
   */
  scriptName?: pulumi.Input<string>;
  /** @deprecated the same as `scriptName`, the name this input had before it took its output's. */
  name?: pulumi.Input<string>;
}

/** The outputs every script resource declares below. */
const SCRIPT_OUTPUTS = [
  "scriptName",
  "accountId",
  "etag",
  "contentHash",
  "createdOn",
  "modifiedOn",
  "tags",
  "handlers",
  "migrationTag",
  "assetsChanges",
];

/** What every Worker script resource has: its inputs' translation, and the outputs Cloudflare reports. */
export abstract class ScriptResource extends pulumi.dynamic.Resource {
  /** The script's name (the `name` input, or the resource's name). */
  declare readonly scriptName: pulumi.Output<string>;
  /** The account the script belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /** Cloudflare's hash of the uploaded content; `pulumi refresh` compares it to spot uploads made outside Pulumi. */
  declare readonly etag: pulumi.Output<string>;
  /** sha256 of the code modules this program uploads (what `preview` compares to show a code change). */
  declare readonly contentHash: pulumi.Output<string>;
  /** When Cloudflare first created the script (RFC 3339). */
  declare readonly createdOn: pulumi.Output<string>;
  /** When Cloudflare last changed the script (RFC 3339). */
  declare readonly modifiedOn: pulumi.Output<string>;
  /** The script's tags as Cloudflare has them. */
  declare readonly tags: pulumi.Output<string[]>;
  /** The event handlers the script exports, e.g. `["fetch"]`. */
  declare readonly handlers: pulumi.Output<string[]>;
  /** The tag of the last Durable Object migration Cloudflare applied, e.g. `"v1"`; undefined before any. */
  declare readonly migrationTag: pulumi.Output<string | undefined>;
  /**
   * With `assets`: which files the last `up` changed, in one line (what `pulumi preview --diff` shows
   * before it), e.g. `"1 of 3 files changed: /about.html"`; undefined without assets.
   */
  declare readonly assetsChanges: pulumi.Output<string | undefined>;

  /** `extra`: the kind's own inputs (where it lives, its triggers); `extraOutputs`: the outputs its class adds. */
  protected constructor(
    kind: ResourceKind & ("NamespacedWorkerScript" | "WorkerScript"),
    name: string,
    args: ScriptResourceArgs,
    extra: pulumi.Inputs,
    extraOutputs: readonly string[],
    opts?: pulumi.CustomResourceOptions,
  ) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor(kind),
      name,
      registrationProps(
        {
          ...extra,
          scriptName: args.scriptName ?? args.name ?? (opts?.id === undefined ? name : undefined),
          ...workerInputs(args),
          importFrom: importId,
          ...credentialInputs(args),
        },
        [...SCRIPT_OUTPUTS, ...extraOutputs],
      ),
      {
        ...options,
        additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS, ...SECRET_WORKER_OUTPUTS],
      },
      MODULE,
      kind,
    );
    if (importId !== undefined) {
      announceImport(this, `import: the existing script '${importId}' will be taken over and its code replaced by this program's`);
    }
  }
}
