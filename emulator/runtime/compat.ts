/** Compatibility dates: workerd refuses a date newer than it knows, so the runtime clamps and says so. */

/** What Miniflare uses when a Worker has no date; Cloudflare's oldest behaviour. */
export const FALLBACK_COMPATIBILITY_DATE = "2000-01-01";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ClampedDate {
  date: string;
  /** Set when the date was changed (newer than workerd supports, missing or malformed). */
  warning?: string;
}

/**
 * `date` if workerd supports it; otherwise `supported` (newer) or the fallback (missing/malformed), with a
 * warning to report. `supported` is Miniflare's `supportedCompatibilityDate` (min(workerd's date, today)).
 */
export function clampCompatibilityDate(date: string | undefined, supported: string): ClampedDate {
  if (!date) return { date: FALLBACK_COMPATIBILITY_DATE };
  if (!DATE.test(date)) {
    return {
      date: FALLBACK_COMPATIBILITY_DATE,
      warning: `compatibility_date '${date}' is not YYYY-MM-DD; running with ${FALLBACK_COMPATIBILITY_DATE}`,
    };
  }
  if (date > supported) {
    return {
      date: supported,
      warning: `compatibility_date ${date} is newer than the local workerd supports (${supported}); running with ${supported} (update the miniflare dependency for newer behaviour)`,
    };
  }
  return { date };
}

/**
 * Flags an account script needs so the runtime's RPC bindings (dispatch namespaces, KV) behave: before
 * 2024-04-03 JS RPC on service bindings is off (`rpc`), and before 2024-03-26 a service binding's
 * `get`/`put`/`delete` are legacy HTTP helpers (`fetcher_no_get_put_delete`), which would shadow
 * `env.NS.get(name)` / `env.KV.get(key)`.
 */
export function rpcFlagsFor(date: string, flags: readonly string[]): string[] {
  const extra: string[] = [];
  if (date < "2024-04-03" && !flags.includes("rpc")) extra.push("rpc");
  if (date < "2024-03-26" && !flags.includes("fetcher_no_get_put_delete")) extra.push("fetcher_no_get_put_delete");
  return extra;
}
