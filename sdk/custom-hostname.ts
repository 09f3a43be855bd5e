import * as pulumi from "@pulumi/pulumi";
import type { DcvMethod, OwnershipVerification, SslValidationRecord } from "../provider";
import { type CloudflareCredentialArgs, SECRET_CREDENTIAL_OUTPUTS, credentialInputs } from "./credentials";
import { announceImport, takeImportOption } from "./import-option";
import { providerFor } from "./provider-shims";
import { registrationProps } from "./resource-props";
import { MODULE, isResourceOfKind } from "./type-tokens";

export interface CustomHostnameSslArgs {
  /**
   * How the certificate authority validates the hostname: "http" (a token served on the hostname, once
   * the customer's CNAME points at the zone), "txt" (a TXT record the customer publishes) or "email".
   * @default "http"
   * @example "txt"
   */
  method?: pulumi.Input<DcvMethod>;
  /**
   * The validation level; Cloudflare issues domain-validated certificates only.
   * @default "dv"
   * @example "dv"
   */
  type?: pulumi.Input<"dv">;
}

export interface CustomHostnameArgs extends CloudflareCredentialArgs {
  /**
   * The platform's zone (Cloudflare for SaaS enabled) the hostname is added to, 32 hexadecimal characters.
   * Changing it makes a new custom hostname in the other zone.
   * @example "023e105f4ecef8ad9ca31a8372d0c353"
   */
  zoneId: pulumi.Input<string>;
  /**
   * The customer's domain, lowercase, without scheme, path or port (a leading `*.` for a wildcard).
   * Changing it makes a new custom hostname, verified again.
   * @example "shop.customer.com"
   */
  hostname: pulumi.Input<string>;
  /**
   * How the hostname's certificate is validated.
   * @default { method: "http", type: "dv" }
   * @example { method: "txt" }
   */
  ssl?: pulumi.Input<CustomHostnameSslArgs>;
  /**
   * Per-hostname values (strings only) that Workers on the zone read as `request.cf.hostMetadata`: a
   * dispatcher picks the tenant from it. Edited in place; moving a hostname to another tenant is a
   * metadata change.
   * @default none
   * @example { tenant: "acme" }
   */
  customMetadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * A hostname of the zone's DNS that serves this custom hostname instead of the zone's fallback origin.
   * @default the zone's fallback origin
   * @example "eu-origin.platform.example.com"
   */
  customOriginServer?: pulumi.Input<string>;
}

/**
 * A custom hostname (Cloudflare for SaaS): a customer's domain served by the platform's zone. It stays
 * `pending` until the customer has published the records in `ownershipVerification` and
 * `sslValidationRecords` (or pointed a CNAME at the zone) and Cloudflare has verified them; `pulumi refresh`
 * reads the new `status` and `sslStatus`. The zone needs a {@link FallbackOrigin} (or the hostname a
 * `customOriginServer`) before it becomes active.
 *
 * @example
 * new FallbackOrigin("fallback", { zoneId, origin: "fallback.platform.example.com" });
 * const shop = new CustomHostname("acme-shop", { zoneId, hostname: "shop.acme.com", customMetadata: { tenant: "acme" } });
 * export const acmeMustPublish = shop.ownershipVerification;
 * // and a dispatcher on the route "*" + "/*" of the zone: env.TENANTS.get(request.cf.hostMetadata.tenant)
 *
 * ## Import
 * Take over a custom hostname made outside Pulumi with the `import` resource option and its id,
 * `{ import: "0d89c70d-ad9f-4843-b99f-6cc0252067e9" }`, beside its `zoneId` and `hostname` (a missing id,
 * or one of another hostname, fails at `preview`). Declared as Cloudflare has it, it is taken over without a
 * write; otherwise its metadata, origin and validation method are edited to the program's.
 * Type token: `pulumi-nodejs:dynamic/cloudflare-wfp:CustomHostname`.
 */
export class CustomHostname extends pulumi.dynamic.Resource {
  /** The zone the hostname belongs to. */
  declare readonly zoneId: pulumi.Output<string>;
  /** The customer's domain. */
  declare readonly hostname: pulumi.Output<string>;
  /** The hostname's custom metadata, as Workers read it in `request.cf.hostMetadata`. */
  declare readonly customMetadata: pulumi.Output<Record<string, string> | undefined>;
  /** Cloudflare's id of the custom hostname (a UUID); also the Pulumi resource id. */
  declare readonly customHostnameId: pulumi.Output<string>;
  /** The account the zone belongs to (32 hex characters). */
  declare readonly accountId: pulumi.Output<string>;
  /** Verification status: "pending" until Cloudflare has verified the customer's ownership, then "active". */
  declare readonly status: pulumi.Output<string>;
  /** Certificate status, e.g. "pending_validation", "pending_issuance", "pending_deployment", "active". */
  declare readonly sslStatus: pulumi.Output<string>;
  /** Why the hostname is not active yet, in Cloudflare's words (empty once active). */
  declare readonly verificationErrors: pulumi.Output<string[]>;
  /** The TXT record (`type`, `name`, `value`) the customer publishes to prove ownership; absent once active. */
  declare readonly ownershipVerification: pulumi.Output<OwnershipVerification | undefined>;
  /** What the certificate authority checks (a TXT record, an HTTP token or mailboxes) while the certificate awaits validation. */
  declare readonly sslValidationRecords: pulumi.Output<SslValidationRecord[]>;

  constructor(name: string, args: CustomHostnameArgs, opts?: pulumi.CustomResourceOptions) {
    const { importId, options } = takeImportOption(opts);
    super(
      providerFor("CustomHostname"),
      name,
      registrationProps(
        {
          zoneId: args.zoneId,
          hostname: args.hostname,
          ssl: args.ssl,
          customMetadata: args.customMetadata,
          customOriginServer: args.customOriginServer,
          importFrom: importId,
          ...credentialInputs(args),
        },
        [
          "zoneId",
          "hostname",
          "customMetadata",
          "customHostnameId",
          "accountId",
          "status",
          "sslStatus",
          "verificationErrors",
          "ownershipVerification",
          "sslValidationRecords",
        ],
      ),
      { ...options, additionalSecretOutputs: [...(options.additionalSecretOutputs ?? []), ...SECRET_CREDENTIAL_OUTPUTS] },
      MODULE,
      "CustomHostname",
    );
    if (importId !== undefined)
      announceImport(
        this,
        `import: the existing custom hostname ${importId} will be adopted, not created; afterwards the import option may be removed`,
      );
  }

  /**
   * Reads an existing custom hostname without managing it.
   *
   * @param id the custom hostname's id (a UUID).
   * @param state its zone (`zoneId`), and credentials if not from the stack config or environment.
   * @example const shop = CustomHostname.get("shop", "0d89c70d-ad9f-4843-b99f-6cc0252067e9", { zoneId });
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state: Pick<CustomHostnameArgs, "zoneId"> & CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): CustomHostname {
    return new CustomHostname(name, { ...state } as CustomHostnameArgs, { ...opts, id });
  }

  /** Whether `obj` is a CustomHostname, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is CustomHostname {
    return isResourceOfKind(obj, "CustomHostname");
  }
}
