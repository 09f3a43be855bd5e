/**
 * Cloudflare's global API rate limit (1200 requests per 5 minutes per user by default on the real
 * API): a sliding-window log per credential. Refused requests do not count, so a client that backs
 * off as told by `retry-after` gets through once the window moves.
 */
export interface RateLimitConfig {
  /** Requests allowed per window (Cloudflare: 1200). */
  requests: number;
  /** Window length in ms (Cloudflare: 300000). */
  windowMs: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Headers Cloudflare sends on REST answers (`retry-after` only when refused). */
  headers: Record<string, string>;
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly config: RateLimitConfig) {
    if (!(config.requests >= 1) || !(config.windowMs >= 1)) {
      throw new Error("rateLimit needs requests >= 1 and windowMs >= 1");
    }
  }

  hit(key: string, now = Date.now()): RateLimitVerdict {
    const { requests, windowMs } = this.config;
    const log = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    this.hits.set(key, log);
    const allowed = log.length < requests;
    if (allowed) log.push(now);
    const oldest = log[0] ?? now;
    const resetAt = oldest + windowMs;
    const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000));
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(requests),
      "x-ratelimit-remaining": String(Math.max(0, requests - log.length)),
      "x-ratelimit-reset": new Date(resetAt).toUTCString(),
    };
    if (!allowed) headers["retry-after"] = String(retryAfterSeconds);
    return { allowed, headers, retryAfterSeconds };
  }
}
