/**
 * Every Cloudflare API request the emulator received, in arrival order, with what it answered —
 * so tests can assert "exactly one POST", "no writes on preview", "at most 4 requests in flight".
 * Control endpoints (/__emulator/*) are not recorded.
 */
import type { InjectedFault } from "./faults";

export interface RequestLogEntry {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  /** Path without `/client/v4` and without the query, e.g. `/accounts/<id>/workers/dispatch/namespaces`. */
  path: string;
  /** Raw query string without `?` ("" when none). */
  query: string;
  /** HTTP status sent; null while in flight or when the connection was dropped. */
  status: number | null;
  /** First Cloudflare error code of a failure answer. */
  errorCode?: number;
  /** Parsed JSON request body, when there was one. */
  body?: unknown;
  /** Epoch ms. */
  startedAt: number;
  endedAt?: number;
  /** Injected latency, ms. */
  latencyMs?: number;
  fault?: InjectedFault;
  /** Refused by Cloudflare's rate limit (429 / 971), not by an injected fault. */
  rateLimited?: true;
}

export type RequestFilter =
  | ((e: RequestLogEntry) => boolean)
  | { method?: string; path?: string | RegExp; status?: number; fault?: InjectedFault["kind"]; rateLimited?: boolean };

export class RequestLog {
  private log: RequestLogEntry[] = [];
  private seq = 0;
  private current = 0;
  private peak = 0;

  /** Starts an entry (the server fills in status/endedAt when it answers). */
  begin(method: string, path: string, query: string): RequestLogEntry {
    const entry: RequestLogEntry = { seq: ++this.seq, method, path, query, status: null, startedAt: Date.now() };
    this.log.push(entry);
    this.current++;
    if (this.current > this.peak) this.peak = this.current;
    return entry;
  }

  /** Marks an entry finished (answered or dropped). */
  end(entry: RequestLogEntry, status: number | null): void {
    if (entry.endedAt !== undefined) return;
    entry.status = status;
    entry.endedAt = Date.now();
    this.current--;
  }

  /** Copies of all entries, oldest first. */
  get entries(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  /** Requests currently being handled. */
  get inFlight(): number {
    return this.current;
  }

  /** Highest number of simultaneous requests since start (or the last `clear()`). */
  get peakConcurrency(): number {
    return this.peak;
  }

  filter(filter?: RequestFilter): RequestLogEntry[] {
    return this.entries.filter(toPredicate(filter));
  }

  count(filter?: RequestFilter): number {
    return this.filter(filter).length;
  }

  /** Non-GET requests (the ones that can change state). */
  writes(): RequestLogEntry[] {
    return this.filter((e) => e.method !== "GET" && e.method !== "HEAD");
  }

  /** Forgets all entries and resets the peak to what is in flight now (sequence numbers keep growing). */
  clear(): void {
    this.log = [];
    this.peak = this.current;
  }

  toJSON(): { entries: RequestLogEntry[]; inFlight: number; peakConcurrency: number } {
    return { entries: this.entries, inFlight: this.inFlight, peakConcurrency: this.peakConcurrency };
  }
}

function toPredicate(filter: RequestFilter | undefined): (e: RequestLogEntry) => boolean {
  if (!filter) return () => true;
  if (typeof filter === "function") return filter;
  const path = typeof filter.path === "string" ? undefined : filter.path;
  return (e) =>
    (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
    (filter.path === undefined ||
      (path ? new RegExp(path.source, path.flags.replace(/[gy]/g, "")).test(e.path) : e.path === filter.path)) &&
    (filter.status === undefined || e.status === filter.status) &&
    (filter.fault === undefined || e.fault?.kind === filter.fault) &&
    (filter.rateLimited === undefined || (e.rateLimited === true) === filter.rateLimited);
}
