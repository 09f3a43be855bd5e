/**
 * Which shard (stack) a tenant belongs to, when one platform's tenants are split across several stacks, each
 * deploying its share as one `TenantFleet`. Every stack computes every tenant's shard and keeps its own, so the
 * answer must be the same in every process, on every Node.js version and on every machine, for as long as the
 * stacks live: it depends on the tenant's name and the shard count only.
 */
import { createHash } from "node:crypto";

/** The jump hash's multiplier, from Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014). */
const JUMP_MULTIPLIER = 2862933555777941757n;
const UINT64 = (1n << 64n) - 1n;
/** The most shards the jump hash's 31-bit arithmetic supports. */
const MAX_SHARDS = 2 ** 31 - 1;

/**
 * The shard, from `0` to `shardCount - 1`, that the tenant named `tenantName` belongs to.
 *
 * The first 8 bytes of the SHA-256 of the name (UTF-8) are the key of a jump consistent hash (Lamping and Veach,
 * 2014): tenants spread evenly over the shards, and going from `shardCount` to `shardCount + 1` shards moves only
 * about one tenant in `shardCount + 1`, each into the new shard, while a plain `hash % shardCount` would move most
 * of them. Both steps are exact integer and IEEE-754 arithmetic, so the result never changes with the process, the
 * Node.js version or the machine.
 *
 * @param tenantName The tenant's script name (the key of `TenantFleet`'s `tenants`). Example: `"customer-a"`.
 * @param shardCount How many shards there are: a whole number from 1 to 2³¹ − 1. There is no default: every stack
 *   of a platform must pass the same count. Example: `4`.
 * @returns The tenant's shard index, `0 <= index < shardCount`.
 * @throws RangeError naming `shardCount` when it is not a whole number in that range.
 *
 * @example
 * ```ts
 * const config = new pulumi.Config();
 * const shardCount = config.requireNumber("shardCount"); // e.g. 4, the same in every stack
 * const shardIndex = config.requireNumber("shardIndex"); // 0..3, this stack's
 * const mine = Object.fromEntries(Object.entries(allTenants).filter(([name]) => shardOf(name, shardCount) === shardIndex));
 * new TenantFleet(`tenants-${shardIndex}`, { namespace: "customer-workers", tenants: mine });
 * ```
 */
export function shardOf(tenantName: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARDS) {
    throw new RangeError(`shardCount must be a whole number from 1 to ${MAX_SHARDS}, got ${String(shardCount)}`);
  }
  const key = createHash("sha256").update(tenantName, "utf8").digest().readBigUInt64BE(0);
  return jumpConsistentHash(key, shardCount);
}

/** The jump consistent hash of a 64-bit key into `buckets` buckets (the paper's reference code, in BigInt). */
function jumpConsistentHash(key: bigint, buckets: number): number {
  let bucket = -1;
  let next = 0;
  while (next < buckets) {
    bucket = next;
    key = (key * JUMP_MULTIPLIER + 1n) & UINT64;
    next = Math.floor((bucket + 1) * (2 ** 31 / (Number(key >> 33n) + 1)));
  }
  return bucket;
}
