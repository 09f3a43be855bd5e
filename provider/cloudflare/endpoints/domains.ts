/** Workers custom domains (API docs, "Workers > Domains"; SDK `workers.domains`). */
import type { DomainGetResponse, DomainListResponse, DomainUpdateResponse } from "cloudflare/resources/workers/domains";
import { accountPath } from "../api";
import type { AccountScope } from "./scope";

export type { DomainListResponse };

/** GET …/workers/domains?service=…: one page holds them all (SDK SinglePage). */
export function list(at: AccountScope, service: string): AsyncGenerator<DomainListResponse> {
  return at.api.pages<DomainListResponse>(
    { method: "GET", path: accountPath(at.accountId, "workers", "domains"), query: { service } },
    "single",
  );
}

/** PUT …/workers/domains `{ hostname, service, zone_id? }`: attaches by hostname. */
export function attach(at: AccountScope, body: { hostname: string; service: string; zone_id?: string }): Promise<DomainUpdateResponse> {
  return at.api.call<DomainUpdateResponse>({ method: "PUT", path: accountPath(at.accountId, "workers", "domains"), body });
}

/** GET …/workers/domains/{domain_id}. */
export function get(at: AccountScope, id: string): Promise<DomainGetResponse> {
  return at.api.call<DomainGetResponse>({ method: "GET", path: accountPath(at.accountId, "workers", "domains", id) });
}

/** DELETE …/workers/domains/{domain_id}. */
export async function remove(at: AccountScope, id: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: accountPath(at.accountId, "workers", "domains", id) });
}
