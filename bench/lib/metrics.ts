/**
 * What a scenario cost on the wire, from the emulator's request log, and the least it could have cost:
 * the requests it needs at minimum and the earliest they can finish under the rate limit (given what
 * earlier scenarios already spent in the window), the concurrency cap and the latency.
 */
import type { RequestLogEntry } from "../../emulator";

/** Ids and names in a path replaced by what they stand for, so requests group by endpoint. */
export function pathPattern(path: string): string {
  const parts = path.split("/");
  const placeholders: Record<string, string> = {
    accounts: ":account",
    namespaces: ":namespace",
    scripts: ":script",
    zones: ":zone",
    routes: ":route",
    values: ":key",
    secrets: ":secret",
  };
  return parts.map((part, i) => (i > 0 && placeholders[parts[i - 1]] && part !== "" ? placeholders[parts[i - 1]] : part)).join("/");
}

export interface WireStats {
  requests: number;
  writes: number;
  /** "PUT /accounts/:account/workers/dispatch/namespaces/:namespace/scripts/:script" → count. */
  byEndpoint: Record<string, number>;
  /** Answers that made the client try again: 429 (rate limit) and 5xx. */
  retried: { "429": number; "5xx": number };
  /** Requests that never got an answer (dropped). */
  unanswered: number;
  peakConcurrency: number;
}

export function wireStats(entries: RequestLogEntry[], peakConcurrency: number): WireStats {
  const byEndpoint: Record<string, number> = {};
  let writes = 0;
  const retried = { "429": 0, "5xx": 0 };
  let unanswered = 0;
  for (const e of entries) {
    const key = `${e.method} ${pathPattern(e.path)}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
    if (e.method !== "GET" && e.method !== "HEAD") writes++;
    if (e.status === 429) retried["429"]++;
    else if (e.status !== null && e.status >= 500) retried["5xx"]++;
    else if (e.status === null) unanswered++;
  }
  const sorted = Object.fromEntries(Object.entries(byEndpoint).sort(([a], [b]) => a.localeCompare(b)));
  return { requests: entries.length, writes, byEndpoint: sorted, retried, unanswered, peakConcurrency };
}

export interface FloorInputs {
  /** Minimum requests the scenario needs. */
  requests: number;
  /** Start times (epoch ms) of requests the server counted before the scenario, any age. */
  history: number[];
  startedAt: number;
  windowRequests: number;
  windowMs: number;
  /** At most this many requests in flight (the smaller of engine parallelism and the provider's cap). */
  concurrency: number;
  latencyMs: number;
}

/**
 * The time the limit's average rate gives the scenario's minimum requests (R per S: S/R each): what
 * they cost once the window is in steady use, as on an account that deploys all day. A burst into an
 * empty window can beat it, so it is a reference, not a lower bound; `floorMs` is the lower bound.
 */
export function pacedFloorMs(requests: number, windowRequests: number, windowMs: number): number {
  return (requests * windowMs) / windowRequests;
}

/**
 * The least time `requests` take under each limit of `quota` per `windowMs` when every window starts
 * empty: a full window at once, then one more window for each further quota's worth (bench:fleet's
 * floor for a step's sending, against the steady-state `pacedFloorMs` above).
 */
export function emptyWindowFloorMs(requests: number, limits: Array<{ quota: number; windowMs: number }>): number {
  return Math.max(...limits.map(({ quota, windowMs }) => (Math.ceil(requests / quota) - 1) * windowMs));
}

/**
 * The earliest the scenario's minimum requests can be done, ms after it starts: each request leaves
 * when a concurrency slot is free and the sliding window has room (the window may still hold requests
 * of earlier scenarios), and takes `latencyMs`. Engine and program time are not part of it.
 */
export function floorMs(f: FloorInputs): number {
  if (f.requests === 0) return 0;
  const starts = f.history.filter((t) => t > f.startedAt - f.windowMs).sort((a, b) => a - b);
  const slots: number[] = new Array(Math.max(1, f.concurrency)).fill(f.startedAt);
  let end = f.startedAt;
  for (let i = 0; i < f.requests; i++) {
    let slot = 0;
    for (let s = 1; s < slots.length; s++) if (slots[s] < slots[slot]) slot = s;
    let t = slots[slot];
    if (starts.length >= f.windowRequests) t = Math.max(t, starts[starts.length - f.windowRequests] + f.windowMs);
    starts.push(t);
    slots[slot] = t + f.latencyMs;
    end = Math.max(end, slots[slot]);
  }
  return end - f.startedAt;
}
