/**
 * A tiny method + path-pattern router. Patterns look like
 * `/accounts/:accountId/workers/dispatch/namespaces/:namespace`; each `:name` segment captures one
 * URL-decoded path segment. Route modules (emulator/routes/*) only declare routes, so new API
 * slices plug in without touching the server.
 */
import type { RequestContext } from "./context";
import type { ApiResult } from "./envelope";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type Handler = (ctx: RequestContext) => ApiResult | Promise<ApiResult>;

export interface RouteDefinition {
  method: HttpMethod;
  pattern: string;
  handler: Handler;
  /**
   * "required" (default): credentials are checked, and a `:accountId` param must be an account the
   * credential can see. "none": the handler authenticates itself (e.g. /user/tokens/verify).
   */
  auth?: "required" | "none";
  /** Whether this route mutates state; read-only tokens are refused. Defaults to `method !== "GET"`. */
  write?: boolean;
}

interface CompiledRoute {
  def: RouteDefinition;
  /** Literal segment text, or null for a `:param` segment. */
  segments: Array<{ literal: string } | { param: string }>;
}

export type MatchResult =
  | { kind: "found"; route: RouteDefinition; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: HttpMethod[]; params: Record<string, string> }
  | { kind: "not-found" }
  | { kind: "bad-encoding" };

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(def: RouteDefinition): this {
    const segments = splitPath(def.pattern).map((s) => (s.startsWith(":") ? { param: s.slice(1) } : { literal: s }));
    this.routes.push({ def, segments });
    return this;
  }

  addAll(defs: readonly RouteDefinition[]): this {
    for (const d of defs) this.add(d);
    return this;
  }

  /**
   * Finds the route for `method` and `path` (path without the /client/v4 prefix, no query).
   * When several patterns match, the most specific wins: a literal segment beats a parameter at the
   * first position where they differ (so `/scripts/search` would beat `/scripts/:script`).
   */
  match(method: string, path: string): MatchResult {
    const raw = splitPath(path);
    let decoded: string[];
    try {
      decoded = raw.map((s) => decodeURIComponent(s));
    } catch {
      return { kind: "bad-encoding" };
    }
    const candidates: Array<{ route: CompiledRoute; params: Record<string, string> }> = [];
    for (const route of this.routes) {
      const params = matchSegments(route, decoded);
      if (params) candidates.push({ route, params });
    }
    if (candidates.length === 0) return { kind: "not-found" };
    candidates.sort((a, b) => compareSpecificity(a.route, b.route));
    const mostSpecific = candidates.filter((c) => compareSpecificity(c.route, candidates[0].route) === 0);
    const hit = mostSpecific.find((c) => c.route.def.method === method);
    if (hit) return { kind: "found", route: hit.route.def, params: hit.params };
    return {
      kind: "method-not-allowed",
      allowed: mostSpecific.map((c) => c.route.def.method),
      params: mostSpecific[0].params,
    };
  }
}

/** Splits a path into segments, ignoring empty ones (so a trailing slash is tolerated). */
export function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchSegments(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = route.segments[i];
    if ("literal" in seg) {
      if (seg.literal !== segments[i]) return null;
    } else {
      params[seg.param] = segments[i];
    }
  }
  return params;
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < a.segments.length; i++) {
    const al = "literal" in a.segments[i];
    const bl = "literal" in b.segments[i];
    if (al !== bl) return al ? -1 : 1;
  }
  return 0;
}
