import * as pulumi from "@pulumi/pulumi";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";

export interface FallbackOriginArgs extends CloudflareCredentialArgs {
  /**
   * The platform's zone (Cloudflare for SaaS enabled), 32 hexadecimal characters. A zone has one
   * fallback origin; changing the zone sets it on the other zone.
   * @example "023e105f4ecef8ad9ca31a8372d0c353"
   */
  zoneId: pulumi.Input<string>;
  /**
   * A hostname of the zone (a proxied DNS record; with a Worker as the origin, an originless one such as
   * `AAAA 100::`) that serves the zone's custom hostnames. Changing it updates the zone in place.
   * @example "fallback.platform.example.com"
   */
  origin: pulumi.Input<string>;
}

/**
 * The fallback origin of a zone (Cloudflare for SaaS): where the traffic of its custom hostnames goes.
 * A {@link CustomHostname} becomes active only once its zone has one (or it names its own origin server).
 * With a dispatcher Worker on the route `*` + `/*` of the zone, the Worker answers before the origin.
 *
 * @example
 * new FallbackOrigin("fallback", { zoneId, origin: "fallback.platform.example.com" });
 *
 * ## Import
 * Take over a zone's fallback origin set outside Pulumi with the `import` resource option and the zone's id,
 * `{ import: "023e105f4ecef8ad9ca31a8372d0c353" }` (a zone without one fails at `preview`). The same origin is
 * taken over without a write; another one is set to the program's.
 * Type token: `pulumi-nodejs:dynamic/cloudflare-wfp:FallbackOrigin`.
 */
export class FallbackOrigin extends pulumi.dynamic.Resource {
  /** The zone. */
  declare readonly zoneId: pulumi.Output<string>;
  /** The origin's hostname. */
  declare readonly origin: pulumi.Output<string>;
  /** The account the zone belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /** Cloudflare's status of the origin, e.g. "pending_deployment", "active". */
  declare readonly status: pulumi.Output<string>;
  /** What keeps the origin from being active, in Cloudflare's words. */
  declare readonly errors: pulumi.Output<string[]>;

  constructor(name: string, args: FallbackOriginArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor("FallbackOrigin"),
      name,
      registrationProps({ zoneId: args.zoneId, origin: args.origin, importFrom: importId, ...credentialInputs(args) }, [
        "zoneId",
        "origin",
        "accountId",
        "status",
        "errors",
      ]),
      { ...options, additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS] },
      MODULE,
      "FallbackOrigin",
    );
    if (importId !== undefined)
      announceImport(
        this,
        `import: the existing fallback origin of zone ${importId} will be adopted, not set; afterwards the import option may be removed`,
      );
  }

  /**
   * Reads the fallback origin of a zone without managing it.
   *
   * @param id the zone's id (the resource id of a managed FallbackOrigin).
   * @param state credentials, if not from the stack config or environment.
   * @example const fallback = FallbackOrigin.get("fallback", "023e105f4ecef8ad9ca31a8372d0c353");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): FallbackOrigin {
    return new FallbackOrigin(name, { ...state } as FallbackOriginArgs, { ...opts, id });
  }

  /** Whether `obj` is a FallbackOrigin, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is FallbackOrigin {
    return isResourceOfKind(obj, "FallbackOrigin");
  }
}
