/**
 * What a fleet records in Cloudflare itself, as script tags on each tenant it uploads (Cloudflare:
 * at most 8 tags per script, without ',' or '&'; Workers for Platforms "Tags" docs):
 *
 * - `pulumi-tenant-fleet`: uploaded by a TenantFleet. A destroy deletes every script carrying it
 *   in one call (`DELETE …/scripts?tags=pulumi-tenant-fleet:yes`) when all of them are its tenants.
 * - `pulumi-spec-<fingerprint>`: the fingerprint (fleet/spec.ts) of the spec uploaded. After a killed
 *   `up` whose state lost the tenants it uploaded, the namespace's script list says which scripts are
 *   already what the program declares, without reading each one.
 *
 * The tenant's own tags come first and are never dropped: the fleet adds its tags only while the
 * limit leaves room (the ownership tag before the spec tag). A tenant whose own tags fill the limit
 * carries none: a recovery reads it closely and a destroy deletes it by name, as before.
 *
 * A tenant that declares secret bindings gets no spec tag: its fingerprint covers the secret values,
 * and a tag is readable by anyone who can list the namespace. Such a tenant is uploaded again when a
 * recovery finds it (it is never adopted unread anyway: workers/adopt.ts).
 */
import { MAX_TAGS } from "../workers/config";
import type { TenantSpec } from "./spec";

/** The tag on every script a fleet uploaded. */
export const FLEET_TAG = "pulumi-tenant-fleet";

const SPEC_TAG_PREFIX = "pulumi-spec-";

function declaresSecrets(spec: TenantSpec): boolean {
  return Object.keys(spec.secretBindings ?? {}).length > 0;
}

/** The tags an upload of `spec` (fingerprint `print`, when known before the upload) sends: the tenant's own, then the fleet's while they fit. */
export function tagsWithFleetTags(spec: TenantSpec, print: string | undefined): string[] {
  const own = spec.tags ?? [];
  const fleet = [FLEET_TAG, ...(print === undefined || declaresSecrets(spec) ? [] : [SPEC_TAG_PREFIX + print])].filter(
    (tag) => !own.includes(tag),
  );
  return [...own, ...fleet.slice(0, Math.max(0, MAX_TAGS - own.length))];
}

/** Whether a listed script was uploaded by a fleet. */
export function isFleetTagged(tags: readonly string[] | null | undefined): boolean {
  return (tags ?? []).includes(FLEET_TAG);
}

/** Whether a listed script was uploaded by a fleet from a spec with fingerprint `print`. */
export function isFleetUploadOf(tags: readonly string[] | null | undefined, print: string): boolean {
  return isFleetTagged(tags) && (tags ?? []).includes(SPEC_TAG_PREFIX + print);
}
