/**
 * Latency by endpoint class: what a request costs on Cloudflare depends on what it does. A script upload
 * takes seconds (wrangler prints its own upload time), a read a fraction of one. Each class draws from a
 * lognormal distribution (times are positive and right-skewed) with a seeded RNG, so a run is repeatable.
 * The medians and spreads and where they come from: SOURCES.md §14; what no report shows is [INF].
 */

/** What a request does, as far as its cost goes. */
export type EndpointClass = "upload" | "write" | "delete" | "list" | "read";

/** A lognormal distribution by its median (ms) and the standard deviation of its logarithm. */
export interface Lognormal {
  medianMs: number;
  sigma: number;
}

/**
 * The realistic model (SOURCES.md §14):
 * - upload: median 3.4 s, the geometric mean of wrangler's "Uploaded … (2.79 sec)" and "(4.15 sec)" for
 *   small Workers; σ 0.5 [INF] (a report of 21.05 s for a 285 KiB bundle is far in its tail).
 * - write (settings, secrets, tags, namespaces, routes): median 700 ms, from wrangler's "Deployed … triggers
 *   (0.72 sec)" (a small configuration write); σ 0.4 [INF].
 * - delete: as a write [INF].
 * - list, read: [INF] 300 ms and 150 ms (no wrangler output times them; an API round trip without a build).
 */
export const REALISTIC_LATENCY: Readonly<Record<EndpointClass, Lognormal>> = {
  upload: { medianMs: 3400, sigma: 0.5 },
  write: { medianMs: 700, sigma: 0.4 },
  delete: { medianMs: 700, sigma: 0.4 },
  list: { medianMs: 300, sigma: 0.4 },
  read: { medianMs: 150, sigma: 0.4 },
};

/** Paths (without `/client/v4`) whose PUT or POST carries a Worker's code. */
const UPLOAD = [
  /\/workers\/(?:dispatch\/namespaces\/[^/]+\/)?scripts\/[^/]+$/,
  /\/scripts\/[^/]+\/content$/,
  /\/scripts\/[^/]+\/versions$/,
  /\/workers\/assets\/upload$/,
];

/** Collections: a GET of one of these lists. */
const LIST = /\/(?:accounts|zones|namespaces|scripts|routes|domains|keys|tags|secrets|versions|deployments|schedules)$/;

/** The class of a request by its method and path (without `/client/v4`). */
export function endpointClass(method: string, path: string): EndpointClass {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return LIST.test(path) ? "list" : "read";
  if (m === "DELETE") return "delete";
  if ((m === "PUT" || m === "POST") && UPLOAD.some((p) => p.test(path))) return "upload";
  return "write";
}

/** One draw (ms, rounded) from `d`, with two uniform draws of `random` (Box–Muller), always two. */
export function drawLognormal(d: Lognormal, random: () => number): number {
  const u1 = random();
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(d.medianMs * Math.exp(d.sigma * z));
}
