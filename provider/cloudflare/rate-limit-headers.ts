/**
 * What one Cloudflare answer says of the user's rate limit. Cloudflare documents (fundamentals/api/
 * reference/limits; changelog 2025-09-03, revised 2025-09-18) two headers on every REST answer:
 *
 *   Ratelimit: "default";r=50;t=30        r requests left, t seconds until that window resets
 *   Ratelimit-Policy: "burst";q=100;w=60  q requests per w seconds
 *
 * both RFC 8941 Lists that may hold several limits: the most constraining one (fewest left) decides.
 * The first version of that changelog named `X-RateLimit-Remaining` and `X-RateLimit-Reset` (an RFC
 * 1123 date) instead; they are read only when no usable `Ratelimit` came.
 */
import { parseList, type BareItem } from "./structured-fields";

export interface RatePolicy {
  name: string;
  quota: number;
  windowMs: number;
}

/** One limit's state: requests left, and when it frees capacity again (epoch ms; undefined when the answer does not say). */
export interface LimitLeft {
  remaining: number;
  resetAt?: number;
  /** Its window, when `Ratelimit-Policy` announces a policy of the same name. */
  windowMs?: number;
  /** Its quota per window, when `Ratelimit-Policy` announces a policy of the same name. */
  quota?: number;
}

export interface RateLimitReading extends LimitLeft {
  /** `remaining` and `resetAt` are the most constraining limit's (fewest left); here every limit. */
  limits: LimitLeft[];
  /** The quotas the answer announced (`Ratelimit-Policy`); empty when none. */
  policies: RatePolicy[];
}

const isCount = (v: BareItem | undefined): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** The policies of `Ratelimit-Policy` that name a usable quota and window. */
export function readPolicies(headers: Headers): RatePolicy[] {
  const items = parseList(headers.get("ratelimit-policy")) ?? [];
  return items.flatMap(({ value, params }) => {
    const { q, w } = params;
    if (!isCount(q) || q < 1 || typeof w !== "number" || !(w > 0)) return [];
    return [{ name: String(value), quota: q, windowMs: w * 1000 }];
  });
}

function fromRatelimit(headers: Headers, now: number, policies: RatePolicy[]): LimitLeft[] {
  const policyOf = (name: BareItem) => policies.find((p) => p.name === String(name));
  return (parseList(headers.get("ratelimit")) ?? []).flatMap(({ value, params: { r, t } }) => {
    if (!isCount(r)) return [];
    const policy = policyOf(value);
    return [
      {
        remaining: r,
        resetAt: typeof t === "number" && t >= 0 ? now + t * 1000 : undefined,
        ...(policy !== undefined ? { windowMs: policy.windowMs, quota: policy.quota } : {}),
      },
    ];
  });
}

function fromLegacy(headers: Headers): LimitLeft | undefined {
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? NaN);
  if (!isCount(remaining)) return undefined;
  const reset = Date.parse(headers.get("x-ratelimit-reset") ?? "");
  // An RFC 1123 date has whole seconds: capacity frees up to a second after the time it names.
  return { remaining, resetAt: Number.isNaN(reset) ? undefined : reset + 1000 };
}

/** Reads the answer's rate-limit headers; undefined when it carries none that parse. */
export function readRateLimit(headers: Headers, now = Date.now()): RateLimitReading | undefined {
  const policies = readPolicies(headers);
  const fromHeader = fromRatelimit(headers, now, policies);
  const legacy = fromHeader.length === 0 ? fromLegacy(headers) : undefined;
  const limits = legacy ? [legacy] : fromHeader;
  if (limits.length === 0) return undefined;
  // Fewest left wins; between equals, the one that resets last.
  const [first] = [...limits].sort((a, b) => a.remaining - b.remaining || (b.resetAt ?? Infinity) - (a.resetAt ?? Infinity));
  return { remaining: first.remaining, resetAt: first.resetAt, limits, policies };
}
