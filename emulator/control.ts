/**
 * Control endpoints for an emulator running in another process (the CLI, Pulumi engine tests):
 * `GET|DELETE /__emulator/requests`, `GET|POST|DELETE /__emulator/faults`, `GET|PUT|DELETE /__emulator/rate-limit`
 * (PUT body = `RateLimitConfig` or null; DELETE = back to the start options), `GET /__emulator/state`,
 * `POST /__emulator/reset`, `GET /__emulator/health`. Each but health requires the control token
 * (server.ts, `Authorization: Bearer <token>`); they bypass faults, the rate limit and the request log.
 */
import type { RequestContext } from "./context";
import { errors, ok, type ApiResult } from "./envelope";
import type { FaultConfig, FaultController } from "./faults";
import type { ApiRateLimits, RateLimitConfig } from "./rate-limit";
import type { RequestLog } from "./request-log";
import { Router, type RouteDefinition } from "./router";
import type { EmulatorState } from "./state";

export const CONTROL_PREFIX = "/__emulator";

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultController;
  rateLimits: ApiRateLimits;
  requests: RequestLog;
  reset(): void;
}

export function controlRouter(deps: ControlDeps): Router {
  const route = (method: RouteDefinition["method"], pattern: string, handler: (ctx: RequestContext) => ApiResult): RouteDefinition => ({
    method,
    pattern: `${CONTROL_PREFIX}${pattern}`,
    handler,
    auth: "required",
  });
  return new Router().addAll([
    // Health tells nothing but "up": open, so a supervisor can poll it without the token.
    { ...route("GET", "/health", () => ok({ status: "ok" })), auth: "none" },
    route("GET", "/requests", () => ok(deps.requests.toJSON())),
    route("DELETE", "/requests", () => {
      deps.requests.clear();
      return ok(null);
    }),
    route("GET", "/faults", () => ok(deps.faults.describe())),
    route("POST", "/faults", (ctx) => {
      const body = ctx.json();
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw errors.invalidRequestBody("expected a fault configuration object");
      try {
        deps.faults.configure(body as FaultConfig);
      } catch (err) {
        throw errors.invalidRequestBody((err as Error).message);
      }
      return ok(deps.faults.describe());
    }),
    route("DELETE", "/faults", () => ok(deps.faults.clear().describe())),
    route("GET", "/rate-limit", () => ok(deps.rateLimits.describe())),
    route("PUT", "/rate-limit", (ctx) => {
      const body = ctx.json();
      if (body !== null && (typeof body !== "object" || Array.isArray(body))) throw errors.invalidRequestBody("expected a rate limit configuration or null");
      try {
        deps.rateLimits.set(body as RateLimitConfig | null);
      } catch (err) {
        throw errors.invalidRequestBody((err as Error).message);
      }
      return ok(deps.rateLimits.describe());
    }),
    route("DELETE", "/rate-limit", () => ok(deps.rateLimits.reset().describe())),
    // Neither the default token (the CLI prints it at start) nor any secret value is echoed over HTTP.
    route("GET", "/state", () => ok(deps.state.publicSnapshot())),
    route("POST", "/reset", () => {
      deps.reset();
      return ok(null);
    }),
  ]);
}
