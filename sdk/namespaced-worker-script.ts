import type * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace } from "./dispatch-namespace";
import type { CloudflareCredentialArgs } from "./credentials";
import { ScriptResource, type ScriptResourceArgs } from "./script-resource";
import type { TenantHostnamesArgs } from "./tenant-hostnames";
import { isResourceOfKind } from "./type-tokens";

export interface NamespacedWorkerScriptArgs extends ScriptResourceArgs, TenantHostnamesArgs {
  /**
   * The dispatch namespace to upload into: the `DispatchNamespace` resource (renaming it then costs
   * the script nothing), or its name. Another namespace moves the script: upload there, delete here.
   * @example tenants // a DispatchNamespace, or "customer-workers"
   */
  namespace: DispatchNamespace | pulumi.Input<string>;
}

/**
 * A tenant ("user") Worker in a Workers for Platforms dispatch namespace.
 *
 * Each create or update is one upload carrying code, bindings, compatibility settings, tags and
 * limits. Code from `entrypoint` is bundled during preview, so a code change shows as an update of
 * `contentHash`; state keeps the hash, not the bundle. Secret bindings are encrypted in state.
 *
 * @example
 * new NamespacedWorkerScript("customer-a", {
 *   namespace: tenants,
 *   name: "customer-a-worker",
 *   entrypoint: "src/tenant-worker.ts",
 *   compatibilityDate: "2025-01-01",
 *   bindings: { CONFIG: json({ customerId: "customer-a" }), API_KEY: secret(config.requireSecret("apiKey")) },
 *   tags: ["customer-a", "plan-pro"],
 *   limits: { cpuMs: 50 },
 *   // The customer's own domain, in front of this tenant (a dispatcher on the zone's "*" + "/*" route reads hostMetadata).
 *   zoneId,
 *   hostnames: [{ hostname: "shop.customer-a.com", customMetadata: { tenant: "customer-a-worker" } }],
 * });
 *
 * ## Import
 * Take over an existing script with `{ import: "<namespace>/<name>" }` (a missing one fails at
 * `preview`): this program's code replaces it, and configuration the program leaves undeclared
 * (bindings, secrets, compatibility, tags, limits, ...) is kept as Cloudflare has it. Type token:
 * `pulumi-nodejs:dynamic/cloudflare-wfp:NamespacedWorkerScript`.
 */
export class NamespacedWorkerScript extends ScriptResource {
  /** The dispatch namespace's name. */
  declare readonly namespace: pulumi.Output<string>;
  /** Cloudflare's id of each of `hostnames`, by hostname. */
  declare readonly customHostnameIds: pulumi.Output<Record<string, string> | undefined>;
  /**
   * Each of `hostnames`' verification status, by hostname: "pending" until Cloudflare has verified it, then
   * "active". `pulumi refresh` reads them again; exported, `pulumi refresh --run-program` shows the change.
   */
  declare readonly hostnameStatuses: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: NamespacedWorkerScriptArgs, opts?: pulumi.CustomResourceOptions) {
    const ns = args.namespace;
    // With the resource, its immutable id tells a rename (nothing to do) from a move to another namespace.
    const location = DispatchNamespace.isInstance(ns) ? { namespace: ns.namespace, namespaceId: ns.namespaceId } : { namespace: ns };
    const hostnames = { zoneId: args.zoneId, hostnames: args.hostnames };
    super(
      "NamespacedWorkerScript",
      name,
      args,
      { ...location, ...hostnames },
      ["namespace", "customHostnameIds", "hostnameStatuses"],
      opts,
    );
  }

  /**
   * Reads an existing tenant script without managing it: its configuration, tags and etag come from Cloudflare.
   *
   * @param id `"<namespace>/<script>"`, the id a managed NamespacedWorkerScript has.
   * @param state credentials, if not from the stack config or environment.
   * @example const legacy = NamespacedWorkerScript.get("legacy", "customer-workers/customer-a");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): NamespacedWorkerScript {
    return new NamespacedWorkerScript(name, { ...state } as NamespacedWorkerScriptArgs, { ...opts, id });
  }

  /** Whether `obj` is a NamespacedWorkerScript, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is NamespacedWorkerScript {
    return isResourceOfKind(obj, "NamespacedWorkerScript");
  }
}
