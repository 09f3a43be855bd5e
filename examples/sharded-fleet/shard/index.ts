// One shard of a platform's tenants. Every shard's stack runs this program with the same tenant list, `shardCount`
// and `namespace`, and its own `shardIndex`; `shardOf` sends each tenant to exactly one shard. The namespace belongs
// to a stack of its own (../namespace), so no shard can delete it, and shards deploy, preview and fail independently.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { TenantFleet, shardOf } from "pulumi-cloudflare-wfp";
import { platformTenants } from "./tenants";

const config = new pulumi.Config();
const shardCount = config.getNumber("shardCount") ?? 1;
const shardIndex = config.getNumber("shardIndex") ?? 0;
// Set while changing `shardCount`: the count every shard's last `up` used (see README.md, "Changing the shard count").
const previousShardCount = config.getNumber("previousShardCount");
const highestIndex = Math.max(shardCount, previousShardCount ?? 0) - 1;
if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex > highestIndex) {
  throw new Error(`shardIndex must be a whole number from 0 to ${highestIndex} (shardCount - 1), got ${shardIndex}`);
}

const tenants = platformTenants(config.getNumber("tenantCount") ?? 12);
const names = Object.keys(tenants);
const mine = new Set(names.filter((name) => shardIndex < shardCount && shardOf(name, shardCount) === shardIndex));
// Tenants this shard held under the previous count that another shard holds now: kept in Cloudflare, not deleted,
// so that shard adopts them (without an upload, their code and configuration being the same).
const leaving =
  previousShardCount === undefined ? [] : names.filter((name) => shardOf(name, previousShardCount) === shardIndex && !mine.has(name));

// Entrypoints relative to the Pulumi project, wherever this program's Pulumi.yaml is.
const source = (file: string) => path.relative(process.cwd(), path.join(__dirname, "src", file));

new TenantFleet("tenants", {
  // The namespace stack's namespace, by name: this stack neither creates nor deletes it.
  namespace: config.get("namespace") ?? "customer-workers",
  defaults: { entrypoint: source("tenant-worker.ts"), compatibilityDate: "2025-01-01" },
  tenants: Object.fromEntries([...mine].map((name) => [name, tenants[name]])),
  release: leaving,
});

export const shard = `${shardIndex} of ${shardCount}`;
export const tenantCount = mine.size;
export const released = leaving.length;
