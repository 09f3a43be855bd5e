import type * as pulumi from "@pulumi/pulumi";
import type { CustomHostnameSslArgs } from "./custom-hostname";

/** One of a tenant's customer domains: a custom hostname of the platform's zone that comes and goes with the tenant. */
export interface TenantHostnameArgs {
  /**
   * The customer's domain, lowercase, without scheme, path or port (a leading `*.` for a wildcard).
   * Checked at `preview`. Giving the same hostname to another tenant moves it there in place (its
   * metadata edited, its verification kept).
   * @example "shop.acme.com"
   */
  hostname: pulumi.Input<string>;
  /**
   * Per-hostname values (strings only) that Workers on the zone read as `request.cf.hostMetadata`: the
   * dispatcher picks the tenant from it. Edited in place.
   * @default none
   * @example { tenant: "acme" }
   */
  customMetadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * How the hostname's certificate is validated.
   * @default { method: "http", type: "dv" }
   * @example { method: "txt" }
   */
  ssl?: pulumi.Input<CustomHostnameSslArgs>;
  /**
   * A hostname of the zone's DNS that serves this hostname instead of the zone's fallback origin.
   * @default the zone's fallback origin
   * @example "eu-origin.platform.example.com"
   */
  customOriginServer?: pulumi.Input<string>;
}

/** A tenant's customer domains and the zone they belong to. */
export interface TenantHostnamesArgs {
  /**
   * The platform's zone (Cloudflare for SaaS enabled) the `hostnames` are custom hostnames of, 32
   * hexadecimal characters; required with `hostnames`. The zone needs a `FallbackOrigin` before its
   * hostnames become active.
   * @default none (required once `hostnames` has any)
   * @example "023e105f4ecef8ad9ca31a8372d0c353"
   */
  zoneId?: pulumi.Input<string>;
  /**
   * The tenant's customers' domains: created after the tenant's script, edited when their settings
   * change, deleted when dropped and before the script is. Each is `pending` until Cloudflare has
   * verified it; `hostnameStatuses` shows its status (`pulumi refresh` reads it again).
   * @default no hostnames
   * @example [{ hostname: "shop.acme.com", customMetadata: { tenant: "acme" } }]
   */
  hostnames?: pulumi.Input<pulumi.Input<TenantHostnameArgs>[]>;
}
