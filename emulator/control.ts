/**
 * Control endpoints for an emulator running in another process (the CLI, Pulumi engine tests):
 * `GET|DELETE /__emulator/requests`, `GET|POST|DELETE /__emulator/faults`, `GET|PUT|DELETE /__emulator/rate-limit`
 * (PUT body = `RateLimitConfig` or null; DELETE = back to the start options), `GET /__emulator/state`,
 * `POST /__emulator/reset`, `POST /__emulator/secret-match` (`{ accountId?, namespace?, script, name, value }` →
 * `{ matches }`: whether a secret holds a value, never the value), `POST /__emulator/custom-hostnames/advance`
 * (`{ hostname, zoneId?, accountId?, untilActive? }` → the custom hostname as the API shows it, one verification step
 * further, or every step with `untilActive`), `GET /__emulator/health`. Each but health requires the control token
 * (server.ts, `Authorization: Bearer <token>`); they bypass faults, the rate limit and the request log.
 */
import type { RequestContext } from "./context";
import { errors, ok, type ApiResult } from "./envelope";
import type { FaultController } from "./faults";
import type { ApiRateLimits, RateLimitConfig } from "./rate-limit";
import type { RequestLog } from "./request-log";
import { Router, type RouteDefinition } from "./router";
import type { EmulatorState } from "./state";
import { findSecret, secretValueMatches } from "./workers/secrets";
import { advanceCustomHostname, customHostnameView } from "./zones/custom-hostnames";
import { findScript } from "./workers/store";

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
      if (body === null || typeof body !== "object" || Array.isArray(body))
        throw errors.invalidRequestBody("expected a fault configuration object");
      try {
        deps.faults.configure(body);
      } catch (err) {
        throw errors.invalidRequestBody((err as Error).message);
      }
      return ok(deps.faults.describe());
    }),
    route("DELETE", "/faults", () => ok(deps.faults.clear().describe())),
    route("GET", "/rate-limit", () => ok(deps.rateLimits.describe())),
    route("PUT", "/rate-limit", (ctx) => {
      const body = ctx.json();
      if (body !== null && (typeof body !== "object" || Array.isArray(body)))
        throw errors.invalidRequestBody("expected a rate limit configuration or null");
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
    // Confirms a value without showing it (a spec proving a secret arrived): whoever holds the token could
    // learn as much by deploying a Worker that echoes its env.
    route("POST", "/secret-match", (ctx) => {
      const body = ctx.json() as Partial<Record<"accountId" | "namespace" | "script" | "name", unknown>> & { value?: unknown };
      if (body === null || typeof body !== "object" || typeof body.script !== "string" || typeof body.name !== "string") {
        throw errors.invalidRequestBody("expected { accountId?, namespace?, script, name, value }");
      }
      const accountId = typeof body.accountId === "string" ? body.accountId : deps.state.defaultAccountId;
      const container =
        typeof body.namespace === "string"
          ? deps.state.findNamespace(accountId, body.namespace)?.scripts
          : deps.state.accountScriptContainer(accountId);
      const script = container && findScript(container, body.script);
      const secret = script && findSecret(script.bindings, body.name);
      return ok({ matches: secret ? secretValueMatches(secret, body.value) : false });
    }),
    // What Cloudflare does when it finds the customer's DNS records: a spec makes a hostname active with it.
    route("POST", "/custom-hostnames/advance", (ctx) => {
      const body = ctx.json() as Partial<Record<"hostname" | "zoneId" | "accountId" | "untilActive", unknown>>;
      if (body === null || typeof body !== "object" || typeof body.hostname !== "string") {
        throw errors.invalidRequestBody("expected { hostname, zoneId?, accountId?, untilActive? }");
      }
      const accountId = typeof body.accountId === "string" ? body.accountId : deps.state.defaultAccountId;
      const zones = (deps.state.getAccount(accountId)?.zones ?? []).filter((z) => body.zoneId === undefined || z.id === body.zoneId);
      const zone = zones.find((z) => z.customHostnames?.some((h) => h.hostname === body.hostname));
      const hostname = zone?.customHostnames?.find((h) => h.hostname === body.hostname);
      if (!zone || !hostname) throw errors.customHostnameNotFound();
      const hasOrigin = zone.fallbackOrigin?.status === "active";
      deps.state.mutate(() => {
        let moved = advanceCustomHostname(hostname, hasOrigin);
        while (moved && body.untilActive === true) moved = advanceCustomHostname(hostname, hasOrigin);
      });
      return ok(customHostnameView(hostname));
    }),
    route("POST", "/reset", () => {
      deps.reset();
      return ok(null);
    }),
  ]);
}
