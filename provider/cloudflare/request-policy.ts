/**
 * The request policy shared by every Cloudflare call in this provider process, whatever resource made it:
 * a cap on concurrent requests and a client-side sliding-window rate limit matching Cloudflare's
 * (1200 requests per 5 minutes per user), so a thousand-tenant `pulumi up` queues here instead of
 * being locked out for five minutes. Retries with backoff (429 honouring Retry-After, 5xx, connection
 * errors) are the SDK's, configured in client.ts; this module sees each attempt, retries included.
 *
 * It lives at module level on purpose: the engine deserializes the dynamic provider once per resource
 * type, but Node's module cache makes this module a singleton per provider process.
 */

export interface PolicySettings {
  maxConcurrency: number;
  windowRequests: number;
  windowMs: number;
}

export interface PolicyStats {
  attempts: number;
  retries: number;
  inFlight: number;
  peakInFlight: number;
  queuedForRateLimit: number;
}

function parseRateLimit(value: string | undefined): { windowRequests: number; windowMs: number } {
  // "1200/300" = 1200 requests per 300 seconds.
  const match = value?.match(/^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/);
  if (!match) return { windowRequests: 1200, windowMs: 300_000 };
  return { windowRequests: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PolicySettings {
  const concurrency = Number(env.CLOUDFLARE_WFP_MAX_CONCURRENCY);
  return {
    maxConcurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 16,
    ...parseRateLimit(env.CLOUDFLARE_WFP_RATE_LIMIT),
  };
}

let settings = settingsFromEnvironment();
const stats: PolicyStats = { attempts: 0, retries: 0, inFlight: 0, peakInFlight: 0, queuedForRateLimit: 0 };
const waiting: Array<() => void> = [];
/** Start times of the requests inside the current window, oldest first. */
const recentStarts: number[] = [];

export function configurePolicy(next: Partial<PolicySettings>): void {
  settings = { ...settings, ...next };
}

export function policyStats(): Readonly<PolicyStats> {
  return { ...stats };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function acquireSlot(): Promise<void> {
  if (stats.inFlight >= settings.maxConcurrency) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  stats.inFlight++;
  stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
}

function releaseSlot(): void {
  stats.inFlight--;
  const next = waiting.shift();
  if (next) next();
}

async function awaitRateWindow(): Promise<void> {
  for (;;) {
    const now = Date.now();
    while (recentStarts.length > 0 && now - recentStarts[0] >= settings.windowMs) recentStarts.shift();
    if (recentStarts.length < settings.windowRequests) {
      recentStarts.push(now);
      return;
    }
    stats.queuedForRateLimit++;
    await sleep(recentStarts[0] + settings.windowMs - now + 1);
  }
}

function isRetry(init: RequestInit | undefined): boolean {
  const headers = new Headers(init?.headers);
  return Number(headers.get("x-stainless-retry-count") ?? "0") > 0;
}

/** A `fetch` with the policy applied; handed to the SDK so every call, raw or typed, goes through it. */
export const policedFetch: typeof fetch = async (input, init) => {
  await acquireSlot();
  try {
    await awaitRateWindow();
    stats.attempts++;
    if (isRetry(init)) stats.retries++;
    return await fetch(input, init);
  } finally {
    releaseSlot();
  }
};
