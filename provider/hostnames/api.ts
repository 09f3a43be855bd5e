/**
 * The Cloudflare calls of custom hostnames and a zone's fallback origin (Cloudflare for SaaS), each one
 * small typed function over `plainRequest`, typed by the SDK's own types
 * (cloudflare/resources/custom-hostnames): `POST|GET /zones/:z/custom_hostnames`, `GET|PATCH|DELETE …/:id`,
 * `GET|PUT|DELETE …/custom_hostnames/fallback_origin`.
 */
import type {
  CustomHostnameCreateParams,
  CustomHostnameEditParams,
  CustomHostnameGetResponse,
} from "cloudflare/resources/custom-hostnames/custom-hostnames";
import type { FallbackOriginGetResponse, FallbackOriginUpdateParams } from "cloudflare/resources/custom-hostnames/fallback-origin";
import type { Credentials } from "../cloudflare/credentials";
import { plainRequest } from "../cloudflare/plain-request";

export type CustomHostname = CustomHostnameGetResponse;
export type FallbackOrigin = FallbackOriginGetResponse;
export type CustomHostnameBody = Omit<CustomHostnameCreateParams, "zone_id">;
export type CustomHostnameEdit = Omit<CustomHostnameEditParams, "zone_id">;

function hostnamesPath(zoneId: string, ...rest: string[]): string {
  return ["", "zones", zoneId, "custom_hostnames", ...rest].map((segment) => encodeURIComponent(segment)).join("/");
}

export async function createCustomHostname(credentials: Credentials, zoneId: string, body: CustomHostnameBody): Promise<CustomHostname> {
  return (await plainRequest<{ result: CustomHostname }>(credentials, { method: "POST", path: hostnamesPath(zoneId), body })).result;
}

export async function getCustomHostname(credentials: Credentials, zoneId: string, id: string): Promise<CustomHostname> {
  return (await plainRequest<{ result: CustomHostname }>(credentials, { method: "GET", path: hostnamesPath(zoneId, id) })).result;
}

export async function editCustomHostname(credentials: Credentials, zoneId: string, id: string, body: CustomHostnameEdit): Promise<CustomHostname> {
  return (await plainRequest<{ result: CustomHostname }>(credentials, { method: "PATCH", path: hostnamesPath(zoneId, id), body })).result;
}

export async function deleteCustomHostname(credentials: Credentials, zoneId: string, id: string): Promise<void> {
  await plainRequest(credentials, { method: "DELETE", path: hostnamesPath(zoneId, id) });
}

export async function getFallbackOrigin(credentials: Credentials, zoneId: string): Promise<FallbackOrigin> {
  return (await plainRequest<{ result: FallbackOrigin }>(credentials, { method: "GET", path: hostnamesPath(zoneId, "fallback_origin") })).result;
}

export async function putFallbackOrigin(credentials: Credentials, zoneId: string, origin: FallbackOriginUpdateParams["origin"]): Promise<FallbackOrigin> {
  return (await plainRequest<{ result: FallbackOrigin }>(credentials, { method: "PUT", path: hostnamesPath(zoneId, "fallback_origin"), body: { origin } })).result;
}

export async function deleteFallbackOrigin(credentials: Credentials, zoneId: string): Promise<void> {
  await plainRequest(credentials, { method: "DELETE", path: hostnamesPath(zoneId, "fallback_origin") });
}
