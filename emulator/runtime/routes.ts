/**
 * Which Worker serves a request: zone routes (Cloudflare pattern syntax), then custom domains (a route on the same
 * hostname takes precedence: DOCS workers/configuration/routing/routes), then `<script>.<subdomain>.workers.dev`.
 *
 * Route patterns: `[scheme://][*]host[/path[*]]`. The only operator is `*`: leading in the host (`*.example.com`
 * = subdomains only, `*example.com` = apex and subdomains), trailing in the path (prefix match, query string
 * included, as Cloudflare matches the whole URL). Without a trailing `*` the path (with its query) must match
 * exactly; a pattern with no path means `/`. The scheme is ignored (the local edge is plain HTTP). When several
 * patterns match, the most specific wins: a literal host before a wildcard host, then the longer host, then the
 * longer path, then an exact path before a prefix. A route with an empty `script` matches but runs no Worker
 * (Cloudflare's "disable Workers on this path"). Cloudflare's documented oddity where `example.com/images*`
 * beats `example.com/images/*` for `/images/x` is not reproduced.
 */
import type { RuntimeCustomHostname, RuntimeRoute, RuntimeSource } from "./types";

export interface ParsedPattern {
  /** Lower-case host without the leading `*`. */
  host: string;
  hostWildcard: boolean;
  /** Path without the trailing `*` (starts with `/`). */
  path: string;
  pathWildcard: boolean;
}

export function parsePattern(pattern: string): ParsedPattern {
  let rest = pattern.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const slash = rest.indexOf("/");
  let host = slash < 0 ? rest : rest.slice(0, slash);
  rest = slash < 0 ? "/" : rest.slice(slash);
  const hostWildcard = host.startsWith("*");
  if (hostWildcard) host = host.slice(1);
  const pathWildcard = rest.endsWith("*");
  const path = pathWildcard ? rest.slice(0, -1) : rest;
  return { host: host.toLowerCase(), hostWildcard, path, pathWildcard };
}

/** Host without port, lower case. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1); // IPv6 literal
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

export function patternMatches(p: ParsedPattern, host: string, pathAndQuery: string): boolean {
  const hostOk = p.hostWildcard ? host.endsWith(p.host) : host === p.host;
  if (!hostOk) return false;
  return p.pathWildcard ? pathAndQuery.startsWith(p.path) : pathAndQuery === p.path;
}

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: ParsedPattern, b: ParsedPattern): number {
  if (a.hostWildcard !== b.hostWildcard) return a.hostWildcard ? 1 : -1;
  if (a.host.length !== b.host.length) return b.host.length - a.host.length;
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  if (a.pathWildcard !== b.pathWildcard) return a.pathWildcard ? 1 : -1;
  return 0;
}

/**
 * The most specific route matching `host` (port ignored) and `pathAndQuery` (e.g. `/a?b=1`), if any. A route of
 * a zone sees only the hosts entering that zone: its own names and `customHostnameZone` (the zone of the host's
 * active custom hostname).
 */
export function matchRoute(
  routes: readonly RuntimeRoute[],
  host: string,
  pathAndQuery: string,
  customHostnameZone?: string,
): RuntimeRoute | undefined {
  const h = normalizeHost(host);
  const entersZone = (zone: string) => zone === customHostnameZone || h === zone || h.endsWith(`.${zone}`);
  let best: { route: RuntimeRoute; parsed: ParsedPattern } | undefined;
  for (const route of routes) {
    if (route.zone !== undefined && !entersZone(route.zone.toLowerCase())) continue;
    const parsed = parsePattern(route.pattern);
    if (!patternMatches(parsed, h, pathAndQuery)) continue;
    if (!best || compareSpecificity(parsed, best.parsed) < 0) best = { route, parsed };
  }
  return best?.route;
}

/** `<script>.<subdomain>.workers.dev` → script, when that script has workers.dev enabled. */
export function workersDevScript(host: string, workersDev: { subdomain?: string; enabledScripts: string[] }): string | undefined {
  if (!workersDev.subdomain) return undefined;
  const suffix = `.${workersDev.subdomain.toLowerCase()}.workers.dev`;
  const h = normalizeHost(host);
  if (!h.endsWith(suffix)) return undefined;
  const script = h.slice(0, -suffix.length);
  if (!script || script.includes(".")) return undefined;
  return workersDev.enabledScripts.find((s) => s.toLowerCase() === script);
}

export type EdgeTarget =
  /** `hostMetadata`: the custom metadata of the active custom hostname the request came in on. */
  | { kind: "route"; script: string; pattern: string; hostMetadata?: Record<string, string> }
  | { kind: "workers.dev"; script: string }
  | { kind: "custom-domain"; script: string; hostname: string }
  /** A route matched but names no Worker: on Cloudflare the request goes to the origin. */
  | { kind: "no-worker"; pattern: string }
  /** A custom hostname whose verification is not complete: Cloudflare cannot route it (error 1016). */
  | { kind: "pending-hostname"; hostname: string };

export function resolveTarget(
  source: Pick<RuntimeSource, "routes" | "workersDev" | "customDomains" | "customHostnames">,
  host: string,
  pathAndQuery: string,
): EdgeTarget | undefined {
  const custom: RuntimeCustomHostname | undefined = source.customHostnames?.().find((c) => c.hostname === normalizeHost(host));
  if (custom && !custom.active) return { kind: "pending-hostname", hostname: custom.hostname };
  const route = matchRoute(source.routes(), host, pathAndQuery, custom?.zone.toLowerCase());
  if (route?.script)
    return { kind: "route", script: route.script, pattern: route.pattern, ...(custom?.metadata ? { hostMetadata: custom.metadata } : {}) };
  if (route) return { kind: "no-worker", pattern: route.pattern };
  const h = normalizeHost(host);
  const domain = source.customDomains?.().find((d) => d.hostname.toLowerCase() === h);
  if (domain) return { kind: "custom-domain", script: domain.script, hostname: domain.hostname };
  const script = workersDevScript(host, source.workersDev());
  return script ? { kind: "workers.dev", script } : undefined;
}
