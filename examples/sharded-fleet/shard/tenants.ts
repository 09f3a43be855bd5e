// The platform's whole tenant list, the same in every shard's stack: each stack keeps the tenants of its shard.
// A real platform reads it from its customer database or an export of it; here `tenantCount` tenants are made up.
import type { TenantArgs } from "pulumi-cloudflare-wfp";

export function platformTenants(count: number): Record<string, TenantArgs> {
  const tenants: Record<string, TenantArgs> = {};
  for (let i = 1; i <= count; i++) {
    const name = `customer-${String(i).padStart(6, "0")}`;
    tenants[name] = { bindings: { TENANT: name, PLAN: i % 5 === 0 ? "pro" : "free" } };
  }
  return tenants;
}
