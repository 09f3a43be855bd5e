/**
 * Custom hostnames (Cloudflare for SaaS) and the zone's fallback origin (SOURCES.md §5.10): a customer's
 * domain added to the platform's zone, which Cloudflare serves once the customer has proven they own it
 * and a certificate has been issued. The records live in their zone; the verification steps a real
 * hostname goes through are advanced by the control endpoint (`advanceCustomHostname`), since nothing
 * local can see the customer's DNS.
 */
import { cfTimestamp, uuid } from "../ids";

export type DcvMethod = "http" | "txt" | "email";

/** The certificate's path as Cloudflare documents it (SDK `SSL.status`; DOCS "Certificate statuses"). */
export const SSL_STEPS = ["initializing", "pending_validation", "pending_issuance", "pending_deployment", "active"] as const;
export type SslStatus = (typeof SSL_STEPS)[number];

export interface CustomHostnameRecord {
  /** A UUID, as in Cloudflare's examples (`0d89c70d-ad9f-4843-b99f-6cc0252067e9`). */
  id: string;
  hostname: string;
  created_at: string;
  status: "pending" | "active";
  verification_errors: string[];
  custom_metadata?: Record<string, string>;
  custom_origin_server?: string;
  custom_origin_sni?: string;
  ownership_verification: { type: "txt"; name: string; value: string };
  ownership_verification_http: { http_url: string; http_body: string };
  ssl: {
    id: string;
    method: DcvMethod;
    type: "dv";
    status: SslStatus;
    /** The token the certificate authority checks (TXT value or HTTP body), kept across edits. */
    token: string;
  };
}

export interface FallbackOriginRecord {
  origin: string;
  status: "active";
  errors: string[];
  created_at: string;
  updated_at: string;
}

/** The zone's Cloudflare-for-SaaS records (kept on the zone; absent in a state.json written before them). */
export interface SaasRecords {
  customHostnames?: CustomHostnameRecord[];
  fallbackOrigin?: FallbackOriginRecord;
}

/** DOCS pre-validation: the error a hostname shows until its customer's CNAME points at the zone. */
export const NOT_CNAMED = "custom hostname does not CNAME to this zone.";
/** DOCS hostname validation error codes: the error while the zone has no fallback origin (and the hostname no custom origin). */
export const NO_FALLBACK_ORIGIN = "Zone does not have a fallback origin set.";

export function newCustomHostname(
  hostname: string,
  fields: Pick<CustomHostnameRecord, "custom_metadata" | "custom_origin_server" | "custom_origin_sni">,
  method: DcvMethod,
): CustomHostnameRecord {
  const id = uuid();
  return {
    id,
    hostname,
    created_at: cfTimestamp(),
    status: "pending",
    verification_errors: [NOT_CNAMED],
    ...fields,
    // DOCS pre-validation: `_cf-custom-hostname.<hostname>` TXT, and the HTTP token under /.well-known/cf-custom-hostname-challenge/.
    ownership_verification: { type: "txt", name: `_cf-custom-hostname.${hostname}`, value: uuid() },
    ownership_verification_http: { http_url: `http://${hostname}/.well-known/cf-custom-hostname-challenge/${id}`, http_body: uuid() },
    ssl: { id: uuid(), method, type: "dv", status: "pending_validation", token: uuid() },
  };
}

/**
 * The certificate authority's records while the certificate waits for validation (SDK
 * `SSL.validation_records`): `_acme-challenge.<hostname>` TXT for `txt`, the ACME HTTP token for `http`
 * (DOCS "Issue and validate certificates" TXT / HTTP), the WHOIS addresses for `email` [INF: which ones].
 */
function validationRecords(h: CustomHostnameRecord): Array<Record<string, unknown>> {
  if (h.ssl.status !== "pending_validation") return [];
  const status = "pending";
  switch (h.ssl.method) {
    case "txt":
      return [{ status, txt_name: `_acme-challenge.${h.hostname}`, txt_value: h.ssl.token }];
    case "http":
      return [{ status, http_url: `http://${h.hostname}/.well-known/acme-challenge/${h.ssl.id}`, http_body: h.ssl.token }];
    case "email": {
      const domain = h.hostname.split(".").slice(-2).join(".");
      return [{ status, emails: ["hostmaster", "postmaster", "webmaster", "admin", "administrator"].map((box) => `${box}@${domain}`) }];
    }
  }
}

/** The custom hostname object (SDK `CustomHostnameGetResponse`). */
export function customHostnameView(h: CustomHostnameRecord) {
  const { token: _token, ...ssl } = h.ssl;
  return {
    id: h.id,
    hostname: h.hostname,
    created_at: h.created_at,
    status: h.status,
    ...(h.verification_errors.length ? { verification_errors: [...h.verification_errors] } : {}),
    ...(h.custom_metadata ? { custom_metadata: { ...h.custom_metadata } } : {}),
    ...(h.custom_origin_server ? { custom_origin_server: h.custom_origin_server } : {}),
    ...(h.custom_origin_sni ? { custom_origin_sni: h.custom_origin_sni } : {}),
    // [INF] the ownership records are shown until the hostname is active.
    ...(h.status === "active"
      ? {}
      : { ownership_verification: { ...h.ownership_verification }, ownership_verification_http: { ...h.ownership_verification_http } }),
    ssl: {
      ...ssl,
      bundle_method: "ubiquitous",
      certificate_authority: "google",
      wildcard: false,
      validation_records: validationRecords(h),
    },
  };
}

/**
 * One verification step, as if Cloudflare had looked at the customer's DNS again: the certificate moves
 * one status along SSL_STEPS; the hostname becomes active once its certificate has passed validation
 * ([INF]: the two verifications are separate on Cloudflare, one step here), unless the zone has no
 * fallback origin and the hostname no custom origin, which keeps it pending with that error (DOCS
 * hostname validation error codes). Returns whether anything moved.
 */
export function advanceCustomHostname(h: CustomHostnameRecord, hasOrigin: boolean): boolean {
  const before = JSON.stringify([h.status, h.ssl.status, h.verification_errors]);
  const step = SSL_STEPS.indexOf(h.ssl.status);
  if (step < SSL_STEPS.length - 1) h.ssl.status = SSL_STEPS[step + 1];
  const validated = SSL_STEPS.indexOf(h.ssl.status) > SSL_STEPS.indexOf("pending_validation");
  if (validated && (hasOrigin || h.custom_origin_server)) {
    h.status = "active";
    h.verification_errors = [];
  } else if (validated) {
    h.verification_errors = [NO_FALLBACK_ORIGIN];
  }
  return JSON.stringify([h.status, h.ssl.status, h.verification_errors]) !== before;
}

/** [INF] A custom hostname: lowercase DNS labels with at least two, an optional leading `*.`, no scheme, path or port. */
const CUSTOM_HOSTNAME = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isCustomHostname(value: string): boolean {
  return CUSTOM_HOSTNAME.test(value);
}
