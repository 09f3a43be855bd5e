/**
 * Custom hostnames and a zone's fallback origin (Cloudflare for SaaS; API docs, "Custom Hostnames"), typed by
 * the SDK's own types
 * (cloudflare/resources/custom-hostnames): `POST|GET /zones/:z/custom_hostnames` (the list paged,
 * `per_page` up to 50, filtered by `hostname.exact`: `CustomHostnameListParams`), `GET|PATCH|DELETE …/:id`,
 * `GET|PUT|DELETE …/custom_hostnames/fallback_origin`.
 */
import type {
  CustomHostnameCreateParams,
  CustomHostnameEditParams,
  CustomHostnameGetResponse,
} from "cloudflare/resources/custom-hostnames/custom-hostnames";
import type { FallbackOriginGetResponse, FallbackOriginUpdateParams } from "cloudflare/resources/custom-hostnames/fallback-origin";
import { zonePath } from "../api";
import type { AccountScope } from "./scope";

type At = Pick<AccountScope, "api">;

export type CustomHostname = CustomHostnameGetResponse;
export type FallbackOrigin = FallbackOriginGetResponse;
export type CustomHostnameBody = Omit<CustomHostnameCreateParams, "zone_id">;
export type CustomHostnameEdit = Omit<CustomHostnameEditParams, "zone_id">;

function hostnamesPath(zoneId: string, ...rest: string[]): string {
  return zonePath(zoneId, "custom_hostnames", ...rest);
}

export async function createCustomHostname(at: At, zoneId: string, body: CustomHostnameBody): Promise<CustomHostname> {
  return at.api.call<CustomHostname>({ method: "POST", path: hostnamesPath(zoneId), body });
}

/** The zone's custom hostnames, page by page as far as the caller reads; with `hostname`, only that one. */
export function listCustomHostnames(at: At, zoneId: string, hostname?: string): AsyncGenerator<CustomHostname> {
  const query = { per_page: 50, ...(hostname === undefined ? {} : { "hostname.exact": hostname }) };
  return at.api.pages<CustomHostname>({ method: "GET", path: hostnamesPath(zoneId), query }, "page");
}

export async function getCustomHostname(at: At, zoneId: string, id: string): Promise<CustomHostname> {
  return at.api.call<CustomHostname>({ method: "GET", path: hostnamesPath(zoneId, id) });
}

export async function editCustomHostname(at: At, zoneId: string, id: string, body: CustomHostnameEdit): Promise<CustomHostname> {
  return at.api.call<CustomHostname>({ method: "PATCH", path: hostnamesPath(zoneId, id), body });
}

export async function deleteCustomHostname(at: At, zoneId: string, id: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: hostnamesPath(zoneId, id) });
}

export async function getFallbackOrigin(at: At, zoneId: string): Promise<FallbackOrigin> {
  return at.api.call<FallbackOrigin>({ method: "GET", path: hostnamesPath(zoneId, "fallback_origin") });
}

export async function putFallbackOrigin(at: At, zoneId: string, origin: FallbackOriginUpdateParams["origin"]): Promise<FallbackOrigin> {
  return at.api.call<FallbackOrigin>({ method: "PUT", path: hostnamesPath(zoneId, "fallback_origin"), body: { origin } });
}

export async function deleteFallbackOrigin(at: At, zoneId: string): Promise<void> {
  await at.api.call({ method: "DELETE", path: hostnamesPath(zoneId, "fallback_origin") });
}
