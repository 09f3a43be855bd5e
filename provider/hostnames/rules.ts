/**
 * What a custom hostname (Cloudflare for SaaS) may be and how it is sent, wherever it is declared: a
 * CustomHostname resource, or the `hostnames` of a tenant (a NamespacedWorkerScript, a TenantFleet
 * tenant). Request shapes follow the SDK's types (cloudflare/resources/custom-hostnames:
 * `CustomHostnameCreateParams`, `CustomHostnameEditParams`). No request here; each problem names its
 * property below `at`.
 */
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import type { CustomHostname as Answer, CustomHostnameBody, CustomHostnameEdit } from "../cloudflare/endpoints/custom-hostnames";
import { canonical } from "../framework/canonical-json";
import { isPlainHostname } from "../workers/custom-domains";

export type DcvMethod = "http" | "txt" | "email";

export interface CustomHostnameSsl {
  /** How the certificate authority validates the hostname. Default "http". */
  method?: DcvMethod;
  /** The validation level: only "dv" (domain validation). Default "dv". */
  type?: "dv";
}

/** One custom hostname as a program declares it (its zone given apart). */
export interface CustomHostnameSpec {
  hostname: string;
  ssl?: CustomHostnameSsl;
  customMetadata?: Record<string, string>;
  customOriginServer?: string;
}

export interface HostnameProblem {
  property: string;
  reason: string;
}

const DCV_METHODS: readonly DcvMethod[] = ["http", "txt", "email"];
const CUSTOM_HOSTNAME_RULE = 'a lowercase hostname without scheme, path or port, optionally starting with "*.", e.g. "shop.customer.com"';

/** A lowercase DNS name, or one below a leading "*." (a wildcard custom hostname). */
export function isCustomHostname(value: string): boolean {
  return isPlainHostname(value.startsWith("*.") ? value.slice(2) : value);
}

const under = (at: string, property: string) => (at === "" ? property : `${at}.${property}`);

/** Every rule a declared custom hostname must follow; `at` prefixes each property (e.g. `hostnames[0]`), "" for none. */
export function customHostnameProblems(spec: Record<string, unknown>, at = ""): HostnameProblem[] {
  const problems: HostnameProblem[] = [];
  const add = (property: string, reason: string) => problems.push({ property: under(at, property), reason });
  const hostname = spec.hostname;
  if (!isUnknown(hostname)) {
    if (typeof hostname !== "string" || hostname.length === 0) add("hostname", "hostname is required and must be a non-empty string");
    else if (!isCustomHostname(hostname)) add("hostname", `hostname must be ${CUSTOM_HOSTNAME_RULE}, got ${JSON.stringify(hostname)}`);
  }
  sslProblems(spec.ssl, add);
  metadataProblems(spec.customMetadata, add);
  const origin = spec.customOriginServer;
  if (origin !== undefined && !isUnknown(origin) && (typeof origin !== "string" || !isPlainHostname(origin))) {
    add(
      "customOriginServer",
      `customOriginServer must be a hostname of the zone's DNS, e.g. "origin.platform.example.com", got ${JSON.stringify(origin)}`,
    );
  }
  return problems;
}

function sslProblems(ssl: unknown, add: (property: string, reason: string) => void): void {
  if (ssl === undefined || isUnknownValue(ssl)) return;
  if (ssl === null || typeof ssl !== "object" || Array.isArray(ssl)) {
    add("ssl", 'ssl must be an object like { method: "http", type: "dv" }');
    return;
  }
  const { method, type } = ssl as Record<string, unknown>;
  if (method !== undefined && !isUnknown(method) && !DCV_METHODS.includes(method as DcvMethod)) {
    add("ssl", `ssl.method must be one of ${DCV_METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`);
  }
  if (type !== undefined && !isUnknown(type) && type !== "dv")
    add("ssl", `ssl.type must be "dv" (domain validation, the only type Cloudflare issues), got ${JSON.stringify(type)}`);
}

function metadataProblems(metadata: unknown, add: (property: string, reason: string) => void): void {
  if (metadata === undefined || isUnknownValue(metadata)) return;
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    add("customMetadata", 'customMetadata must be an object of string values, e.g. { tenant: "acme" }');
    return;
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (!isUnknown(value) && typeof value !== "string")
      add("customMetadata", `customMetadata.${key} must be a string (Cloudflare keeps string values only), got ${JSON.stringify(value)}`);
  }
}

/** The ssl block as sent: Cloudflare's defaults written out. */
function sslOf(spec: CustomHostnameSpec): { method: DcvMethod; type: "dv" } {
  return { method: spec.ssl?.method ?? "http", type: spec.ssl?.type ?? "dv" };
}

/** The POST body that creates the hostname. */
export function createBody(spec: CustomHostnameSpec): CustomHostnameBody {
  return {
    hostname: spec.hostname,
    ssl: sslOf(spec),
    ...(spec.customMetadata ? { custom_metadata: spec.customMetadata } : {}),
    ...(spec.customOriginServer ? { custom_origin_server: spec.customOriginServer } : {}),
  };
}

/** The PATCH body that makes an existing hostname what `spec` declares (an empty object clears metadata, "" the origin). */
export function editBody(spec: Omit<CustomHostnameSpec, "hostname">): CustomHostnameEdit {
  return {
    custom_metadata: spec.customMetadata ?? {},
    custom_origin_server: spec.customOriginServer ?? "",
    ssl: sslOf(spec as CustomHostnameSpec),
  };
}

/** Whether Cloudflare's hostname already is what `spec` declares (nothing to edit). */
export function isAsDeclared(found: Answer, spec: CustomHostnameSpec): boolean {
  return (
    found.hostname === spec.hostname &&
    canonical(found.custom_metadata ?? {}) === canonical(spec.customMetadata ?? {}) &&
    (found.custom_origin_server ?? "") === (spec.customOriginServer ?? "") &&
    (found.ssl?.method ?? "http") === sslOf(spec).method
  );
}
