/**
 * Cloudflare's documented API rate limits (SOURCES.md §9): 1200 requests per five minutes
 * per user, and 200 requests per second per IP. Every REST answer carries `Ratelimit` and
 * `Ratelimit-Policy` (RFC 8941 lists); a refused request gets 429 / 971 with `retry-after`.
 *
 * Documented behaviour of the real API, not a fault: the fault injector (faults.ts) knows nothing of it.
 * Without a configured limit the answers still describe the documented default (counted, never refused),
 * because Cloudflare always sends the headers.
 */
import { errors, type ApiError } from "./envelope";

export interface RateLimitConfig {
  /** Requests allowed per window and user (Cloudflare: 1200). */
  requests: number;
  /** Window length in ms (Cloudflare: 300000). */
  windowMs: number;
  /** Once a user exceeds the limit, every call is refused for this long (Cloudflare: 300000). Default: no block. */
  blockMs?: number;
  /** The per-IP limit (Cloudflare: 200 per 1000 ms). Default: none. */
  perIp?: { requests: number; windowMs: number };
}

/** What the headers describe when no limit is enforced: Cloudflare's documented default. */
export const DOCUMENTED_LIMIT: Readonly<RateLimitConfig> = { requests: 1200, windowMs: 300_000 };
/** The documented block after the limit is exceeded: "all API calls for the next five minutes". */
export const DOCUMENTED_BLOCK_MS = 300_000;
/** The documented per-IP limit. */
export const DOCUMENTED_PER_IP = { requests: 200, windowMs: 1000 } as const;

export interface RateLimitVerdict {
  allowed: boolean;
  /** `Ratelimit`, `Ratelimit-Policy` and, when refused, `retry-after`. */
  headers: Record<string, string>;
  /** When refused: the 429 / 971 answer. */
  error?: ApiError;
}

/**
 * One counter: a fixed window that opens with the first request and refills when it ends (the docs'
 * "time next window resets"), optionally followed by a block. Window start and block length [INF].
 */
class Counter {
  private windowStart = -Infinity;
  private count = 0;
  private blockedUntil = -Infinity;

  constructor(
    readonly name: string,
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly blockMs: number,
  ) {}

  /** Counts a request if it may pass; refused requests neither count nor extend a block [INF]. */
  take(now: number, enforce: boolean): boolean {
    if (now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    if (enforce && now < this.blockedUntil) return false;
    if (enforce && this.count >= this.requests) {
      if (this.blockMs > 0) this.blockedUntil = now + this.blockMs;
      return false;
    }
    this.count++;
    return true;
  }

  remaining(now: number): number {
    return now < this.blockedUntil ? 0 : Math.max(0, this.requests - this.count);
  }

  /** Whole seconds, rounded up, until more capacity is available. */
  secondsToReset(now: number): number {
    const at = Math.max(this.windowStart + this.windowMs, this.blockedUntil);
    return Math.max(0, Math.ceil((at - now) / 1000));
  }

  /** `"name";r=<remaining>;t=<seconds>` */
  item(now: number): string {
    return `"${this.name}";r=${this.remaining(now)};t=${this.secondsToReset(now)}`;
  }

  /** `"name";q=<quota>;w=<window seconds>` */
  policy(): string {
    return `"${this.name}";q=${this.requests};w=${Math.ceil(this.windowMs / 1000)}`;
  }
}

/** Item names: "default" is the documented example's; "ip" for the per-IP limit [INF]. */
const USER_ITEM = "default";
const IP_ITEM = "ip";

export class ApiRateLimits {
  private config: RateLimitConfig | null = null;
  private readonly users = new Map<string, Counter>();
  private readonly ips = new Map<string, Counter>();

  /** `baseline` (from the emulator options) is what `reset()` returns to. */
  constructor(private readonly baseline: RateLimitConfig | null = null) {
    this.set(baseline);
  }

  /** Enforces `config` (null: only report the documented default); counters start fresh. */
  set(config: RateLimitConfig | null): this {
    if (config) validate(config);
    this.config = config ? { ...config, ...(config.perIp ? { perIp: { ...config.perIp } } : {}) } : null;
    this.users.clear();
    this.ips.clear();
    return this;
  }

  /** The enforced limit, or null when only the documented default is reported. */
  describe(): RateLimitConfig | null {
    return this.config ? { ...this.config } : null;
  }

  reset(): this {
    return this.set(this.baseline);
  }

  /** Counts one request of user `userKey` from `ip`; the verdict carries the headers for its answer. */
  hit(userKey: string, ip: string, now = Date.now()): RateLimitVerdict {
    const enforce = this.config !== null;
    const limit = this.config ?? DOCUMENTED_LIMIT;
    const user = counterOf(this.users, userKey, () => new Counter(USER_ITEM, limit.requests, limit.windowMs, limit.blockMs ?? 0));
    const perIp = this.config?.perIp;
    const address = perIp ? counterOf(this.ips, ip, () => new Counter(IP_ITEM, perIp.requests, perIp.windowMs, 0)) : undefined;
    // Both must admit the request; the per-IP one is asked first so a refusal there costs no user quota [INF].
    const allowed = (address?.take(now, enforce) ?? true) && user.take(now, enforce);
    const counters = address ? [user, address] : [user];
    const headers: Record<string, string> = {
      ratelimit: counters.map((c) => c.item(now)).join(", "),
      "ratelimit-policy": counters.map((c) => c.policy()).join(", "),
    };
    if (allowed) return { allowed, headers };
    const refusedBy = counters.filter((c) => c.remaining(now) === 0);
    const retryAfter = Math.max(1, ...refusedBy.map((c) => c.secondsToReset(now)));
    return { allowed, headers, error: errors.rateLimited(retryAfter, headers) };
  }
}

function counterOf(map: Map<string, Counter>, key: string, create: () => Counter): Counter {
  let counter = map.get(key);
  if (!counter) map.set(key, (counter = create()));
  return counter;
}

function validate(config: RateLimitConfig): void {
  const positive = (n: number | undefined) => n !== undefined && n >= 1;
  if (!positive(config.requests) || !positive(config.windowMs)) throw new Error("rateLimit needs requests >= 1 and windowMs >= 1");
  if (config.blockMs !== undefined && !(config.blockMs >= 0)) throw new Error("rateLimit blockMs must be >= 0");
  if (config.perIp && (!positive(config.perIp.requests) || !positive(config.perIp.windowMs))) {
    throw new Error("rateLimit perIp needs requests >= 1 and windowMs >= 1");
  }
}
