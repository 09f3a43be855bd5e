/** `GET /user/tokens/verify`: whether the bearer token is valid (401/1000 for anything else). */
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";

function verifyToken(ctx: RequestContext): ApiResult {
  const principal = ctx.authenticator.verifyToken(ctx.headers);
  if (!principal) throw errors.invalidApiToken();
  return ok({ id: principal.id, status: "active" });
}

export const userRoutes: RouteDefinition[] = [
  // Authenticates itself: the generic 9106/10000 refusals do not apply to this endpoint.
  { method: "GET", pattern: "/user/tokens/verify", handler: verifyToken, auth: "none" },
];
