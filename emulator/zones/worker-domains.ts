/**
 * Workers custom domains: a hostname of one of the account's zones whose whole traffic goes to a Worker
 * (SOURCES.md §5.8). Kept per account, in creation order.
 */

/** `{ id, hostname, service, zone_id, zone_name, environment, cert_id }` (SDK `DomainGetResponse`). */
export interface WorkerDomainRecord {
  id: string;
  hostname: string;
  service: string;
  zone_id: string;
  zone_name: string;
  /** Deprecated by Cloudflare; always "production" here. */
  environment: string;
  cert_id: string;
}

/** [INF] A hostname: lowercase DNS labels, no scheme, path, port or wildcard. */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isHostname(value: string): boolean {
  return HOSTNAME.test(value);
}

/** The zone apex itself or a subdomain of it. */
export function isInZone(hostname: string, zoneName: string): boolean {
  return hostname === zoneName || hostname.endsWith(`.${zoneName}`);
}
