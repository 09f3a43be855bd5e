/**
 * Fault injection, switchable at runtime so each test can script the network it needs:
 * latency, "answer the next N (matching) requests with status X", seeded random failures,
 * dropped connections (before or after the change is applied) and a read-after-create visibility
 * delay. The server asks this controller what to do for each request; everything here is
 * deterministic given the seeds. Cloudflare's documented rate limit is not a fault: rate-limit.ts.
 */
import { type ApiError, injectedError } from "./envelope";
import { drawLognormal, endpointClass, REALISTIC_LATENCY } from "./latency-model";

/**
 * Fixed latency, uniformly random between minMs and maxMs (seeded), or `{ model: "realistic" }`: by
 * endpoint class, uploads taking seconds and reads a fraction of one (latency-model.ts, seeded).
 */
export type LatencySpec = { ms: number } | { minMs: number; maxMs: number } | { model: "realistic" };

/** Which requests a rule applies to; both optional (omitted = any). */
export interface RequestMatcher {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Regex (or its source text) tested against the path without `/client/v4`, e.g. "/dispatch/namespaces$". */
  path?: string | RegExp;
}

export interface FaultRuleSpec extends RequestMatcher {
  /** How many matching requests this rule answers (default 1). */
  times?: number;
  /** Answer with this HTTP status (429 → code 971 + Retry-After; 5xx → Cloudflare-like body). */
  status?: number;
  /** For 429: the Retry-After value in seconds (default 1; 0 lets the SDK retry at once). */
  retryAfterSeconds?: number;
  /** Override the error code / message of the injected body. */
  code?: number;
  message?: string;
  /** Destroy the socket instead of answering: "before" the request is applied, or "after" it was. */
  drop?: "before" | "after";
}

export interface RandomFaultSpec extends RequestMatcher {
  /** 0..1 chance that a (matching) request fails. */
  probability: number;
  /** Statuses to choose from (uniformly, seeded); default [429, 503]. */
  statuses?: number[];
  /** PRNG seed; the same seed and request sequence give the same failures (default 1). */
  seed?: number;
  retryAfterSeconds?: number;
}

/** JSON-friendly fault configuration (also the body of `POST /__emulator/faults`). */
export interface FaultConfig {
  latency?: LatencySpec | number | null;
  /** Rules appended to the "next N requests" queue. */
  next?: FaultRuleSpec[];
  random?: RandomFaultSpec | null;
  /** Newly created resources answer 404 to reads for this many ms. */
  visibilityDelayMs?: number;
  /** Seed for random latency (default 1). */
  seed?: number;
}

/** What was injected into a request, as recorded in the request log. */
export interface InjectedFault {
  kind: "status" | "random" | "drop-before" | "drop-after";
  status?: number;
}

export type FaultDecision =
  | { action: "none" }
  | { action: "respond"; error: ApiError; fault: InjectedFault }
  | { action: "drop-before"; fault: InjectedFault }
  | { action: "drop-after"; fault: InjectedFault };

interface ActiveRule {
  spec: FaultRuleSpec;
  path?: RegExp;
  remaining: number;
}

interface ActiveRandom {
  spec: RandomFaultSpec;
  path?: RegExp;
  statuses: number[];
  next: () => number;
}

/** Snapshot returned by `describe()` and `GET /__emulator/faults`. */
export interface FaultSnapshot {
  latency: LatencySpec | null;
  pending: Array<FaultRuleSpec & { remaining: number }>;
  random: RandomFaultSpec | null;
  visibilityDelayMs: number;
}

/** mulberry32: a tiny seedable PRNG, good enough for reproducible fault patterns. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultController {
  private latency: LatencySpec | null = null;
  private latencyRandom = seededRandom(1);
  private rules: ActiveRule[] = [];
  private random: ActiveRandom | null = null;
  private visibilityMs = 0;
  /** resource key → time (ms) until which it is invisible to reads. */
  private readonly hiddenUntil = new Map<string, number>();

  /** `baseline` (from the emulator options) is what `clear()` returns to. */
  constructor(private readonly baseline: FaultConfig = {}) {
    this.configure(baseline);
  }

  // --- runtime switches (used by tests directly, or via POST /__emulator/faults) ---------------

  /** Adds latency to every Cloudflare request: `100`, `{ ms: 100 }`, `{ minMs: 20, maxMs: 200 }` or `{ model: "realistic" }`; null = off. */
  setLatency(spec: LatencySpec | number | null, seed?: number): this {
    this.latency = normaliseLatency(spec);
    if (seed !== undefined) this.latencyRandom = seededRandom(seed);
    return this;
  }

  /** Answers the next `times` (default 1) matching requests with `status` instead of handling them. */
  failNext(status: number, opts: Omit<FaultRuleSpec, "status" | "drop"> = {}): this {
    return this.addRule({ ...opts, status });
  }

  /** Destroys the connection of the next matching request(s); `afterApply` lets the change happen first. */
  dropNext(opts: RequestMatcher & { times?: number; afterApply?: boolean } = {}): this {
    const { afterApply, ...rest } = opts;
    return this.addRule({ ...rest, drop: afterApply ? "after" : "before" });
  }

  addRule(spec: FaultRuleSpec): this {
    const hasStatus = spec.status !== undefined;
    const hasDrop = spec.drop !== undefined;
    if (hasStatus === hasDrop) throw new Error("a fault rule needs exactly one of `status` or `drop`");
    if (hasStatus && !(Number.isInteger(spec.status) && spec.status! >= 400 && spec.status! <= 599)) {
      throw new Error(`fault status must be an integer 400..599, got ${String(spec.status)}`);
    }
    if (hasDrop && spec.drop !== "before" && spec.drop !== "after") throw new Error('fault `drop` must be "before" or "after"');
    const times = spec.times ?? 1;
    if (!(Number.isInteger(times) && times >= 1)) throw new Error("fault `times` must be a positive integer");
    this.rules.push({ spec: { ...spec }, path: toRegExp(spec.path), remaining: times });
    return this;
  }

  /** Fails a share of requests at random, reproducibly for a given seed; null = off. */
  setRandom(spec: RandomFaultSpec | null): this {
    if (spec === null) {
      this.random = null;
      return this;
    }
    if (!(spec.probability >= 0 && spec.probability <= 1)) throw new Error("random `probability` must be within 0..1");
    const statuses = spec.statuses ?? [429, 503];
    if (statuses.length === 0) throw new Error("random `statuses` must not be empty");
    this.random = { spec: { ...spec }, path: toRegExp(spec.path), statuses, next: seededRandom(spec.seed ?? 1) };
    return this;
  }

  /** Resources created from now on stay invisible to reads (404) for `ms`. */
  setVisibilityDelay(ms: number): this {
    if (!(ms >= 0)) throw new Error("visibilityDelayMs must be >= 0");
    this.visibilityMs = ms;
    return this;
  }

  /** Applies a JSON config: given fields replace the current setting, `next` rules are appended. */
  configure(config: FaultConfig): this {
    if (config.latency !== undefined) this.setLatency(config.latency, config.seed);
    else if (config.seed !== undefined) this.latencyRandom = seededRandom(config.seed);
    for (const r of config.next ?? []) this.addRule(r);
    if (config.random !== undefined) this.setRandom(config.random);
    if (config.visibilityDelayMs !== undefined) this.setVisibilityDelay(config.visibilityDelayMs);
    return this;
  }

  /** Removes every runtime fault and returns to the baseline given at start (`options.faults`). */
  clear(): this {
    this.latency = null;
    this.latencyRandom = seededRandom(1);
    this.rules = [];
    this.random = null;
    this.visibilityMs = 0;
    this.hiddenUntil.clear();
    return this.configure(this.baseline);
  }

  /** Number of "next N" answers still queued. */
  get pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  describe(): FaultSnapshot {
    return {
      latency: this.latency,
      pending: this.rules.map((r) => ({ ...r.spec, path: r.path?.source, remaining: r.remaining })),
      random: this.random ? { ...this.random.spec, path: this.random.path?.source } : null,
      visibilityDelayMs: this.visibilityMs,
    };
  }

  // --- used by the server ----------------------------------------------------------------------

  /** Latency to add to this request (ms); the realistic model goes by what the request does. */
  nextLatencyMs(method: string, path: string): number {
    const l = this.latency;
    if (!l) return 0;
    if ("ms" in l) return l.ms;
    if ("model" in l) return drawLognormal(REALISTIC_LATENCY[endpointClass(method, path)], this.latencyRandom);
    return l.minMs + Math.floor(this.latencyRandom() * (l.maxMs - l.minMs + 1));
  }

  /** Decides whether a request is failed/dropped: queued rules first, then the random mode. */
  decide(method: string, path: string): FaultDecision {
    const idx = this.rules.findIndex((r) => matches(r.spec, r.path, method, path));
    if (idx >= 0) {
      const rule = this.rules[idx];
      if (--rule.remaining <= 0) this.rules.splice(idx, 1);
      const s = rule.spec;
      if (s.drop === "before") return { action: "drop-before", fault: { kind: "drop-before" } };
      if (s.drop === "after") return { action: "drop-after", fault: { kind: "drop-after" } };
      const error = injectedError(s.status!, s);
      return { action: "respond", error, fault: { kind: "status", status: s.status } };
    }
    const r = this.random;
    if (r && matches(r.spec, r.path, method, path)) {
      // Two draws per matching request, always, so the pattern depends only on seed + request order.
      const hit = r.next() < r.spec.probability;
      const pick = r.statuses[Math.floor(r.next() * r.statuses.length)];
      if (hit) {
        return {
          action: "respond",
          error: injectedError(pick, { retryAfterSeconds: r.spec.retryAfterSeconds }),
          fault: { kind: "random", status: pick },
        };
      }
    }
    return { action: "none" };
  }

  /** Records a resource creation; with a visibility delay set, reads of it answer 404 for a while. */
  markCreated(resourceKey: string): void {
    if (this.visibilityMs > 0) this.hiddenUntil.set(resourceKey, Date.now() + this.visibilityMs);
  }

  /** Whether reads should still treat the resource as missing. */
  isHidden(resourceKey: string): boolean {
    const until = this.hiddenUntil.get(resourceKey);
    if (until === undefined) return false;
    if (Date.now() >= until) {
      this.hiddenUntil.delete(resourceKey);
      return false;
    }
    return true;
  }
}

function normaliseLatency(spec: LatencySpec | number | null): LatencySpec | null {
  if (spec === null) return null;
  const l = typeof spec === "number" ? { ms: spec } : spec;
  if ("model" in l) {
    if (l.model !== "realistic") throw new Error(`latency model must be "realistic", got ${String(l.model)}`);
    return { model: "realistic" };
  }
  if ("ms" in l) {
    if (!(l.ms >= 0)) throw new Error("latency ms must be >= 0");
    return l.ms === 0 ? null : { ms: l.ms };
  }
  if (!(l.minMs >= 0 && l.maxMs >= l.minMs)) throw new Error("latency needs 0 <= minMs <= maxMs");
  return { minMs: l.minMs, maxMs: l.maxMs };
}

function toRegExp(p: string | RegExp | undefined): RegExp | undefined {
  if (p === undefined) return undefined;
  // Drop g/y flags: a stateful lastIndex would make `test()` alternate between true and false.
  return typeof p === "string" ? new RegExp(p) : new RegExp(p.source, p.flags.replace(/[gy]/g, ""));
}

function matches(m: RequestMatcher, path: RegExp | undefined, method: string, reqPath: string): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (path && !path.test(reqPath)) return false;
  return true;
}
