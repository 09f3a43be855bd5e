/**
 * Progress of a long fleet step (uploads, deletes), as a line on stderr at a steady cadence: the
 * engine shows a dynamic provider's stderr in the CLI's output, as it shows the request policy's
 * retry lines. A step shorter than one interval prints nothing.
 *
 *     cloudflare-wfp: fleet 'tenants': uploaded 1200 of 3000 tenants; 1187 requests in the last 300 s; Cloudflare's rate limit holds requests for 41 s; about 5 min left at this rate
 *
 * The interval is CLOUDFLARE_WFP_PROGRESS_INTERVAL seconds (default 10; 0 turns the lines off).
 */
import type { RequestPolicy } from "../cloudflare/request-policy";

export interface Progress {
  /** Wraps one tenant's step so its end, success or failure, counts as done. */
  counted<T>(step: (name: string) => Promise<T>): (name: string) => Promise<T>;
  /** Stops the lines (call when the step is over, whatever its outcome). */
  stop(): void;
}

export function progressInterval(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.CLOUDFLARE_WFP_PROGRESS_INTERVAL ?? "10");
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 10_000;
}

/** What a progress line says, from the counts and the rate window (pure, for tests). */
export function progressLine(
  what: { fleet: string; verb: string; done: number; total: number; elapsedMs: number },
  window: { sentInWindow: number; windowRequests: number; windowMs: number; waitMs: number },
): string {
  const parts = [
    `cloudflare-wfp: fleet '${what.fleet}': ${what.verb} ${what.done} of ${what.total} tenants`,
    `${window.sentInWindow} requests in the last ${Math.round(window.windowMs / 1000)} s`,
  ];
  if (window.waitMs > 0) parts.push(`Cloudflare's rate limit holds requests for ${Math.ceil(window.waitMs / 1000)} s`);
  if (what.done > 0 && what.done < what.total) {
    // The rate so far, but never faster than the window allows (a tenant takes at least one request):
    // a first burst into an empty window says nothing of the pace after it.
    const left = what.total - what.done;
    const ms = Math.max((left * what.elapsedMs) / what.done, (left * window.windowMs) / window.windowRequests);
    parts.push(`about ${duration(ms)} left at this rate`);
  }
  return parts.join("; ");
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** Starts the lines for a step over `total` tenants of fleet `fleet` ("uploaded", "deleted"), with the rate window of `policy`. */
export function startProgress(
  policy: Pick<RequestPolicy, "rateStatus">,
  fleet: string,
  verb: string,
  total: number,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Progress {
  const started = Date.now();
  let done = 0;
  const every = progressInterval();
  const timer =
    every > 0 && total > 0
      ? setInterval(() => write(progressLine({ fleet, verb, done, total, elapsedMs: Date.now() - started }, policy.rateStatus())), every)
      : undefined;
  timer?.unref();
  return {
    counted: (step) => async (name) => {
      try {
        return await step(name);
      } finally {
        done++;
      }
    },
    stop: () => clearInterval(timer),
  };
}
