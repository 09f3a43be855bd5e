/**
 * Worker route patterns (`*.example.com/*`), checked the way Cloudflare's Workers API documents it
 * (legacy Workers API reference, "Invalid Route Pattern", 400 / 10022): wildcards only at the start
 * of the host and the end of the path, no query string, and the host must be the zone or inside it.
 * An optional `http://` / `https://` prefix is accepted [INF]. A host of `*` alone (the pattern `*` + `/*`) is every hostname
 * entering the zone, custom hostnames included (DOCS cloudflare-for-saas worker-as-origin, WfP hostname routing).
 */
import { errors } from "../envelope";

/** Throws 400 / 10022 unless `pattern` is a valid route pattern of the zone `zoneName`. */
export function validateRoutePattern(pattern: string, zoneName: string): void {
  const withoutScheme = pattern.replace(/^https?:\/\//i, "");
  if (withoutScheme.includes("?")) throw errors.invalidRoutePattern(`Route pattern should not have query parameters ${pattern}`);
  const slash = withoutScheme.indexOf("/");
  const host = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  const path = slash < 0 ? "" : withoutScheme.slice(slash);
  if (host === "*" && !path.slice(0, -1).includes("*")) return;
  const bareHost = host.replace(/^\*\.?/, "");
  if (bareHost.includes("*") || path.slice(0, -1).includes("*")) {
    throw errors.invalidRoutePattern(
      `Route pattern may only contain wildcards at the beginning of the hostname and the end of the path: ${pattern}`,
    );
  }
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(bareHost) || bareHost.includes("..")) {
    throw errors.invalidRoutePattern(`Could not understand route pattern ${pattern}, please try a different pattern`);
  }
  const h = bareHost.toLowerCase();
  const zone = zoneName.toLowerCase();
  if (h !== zone && !h.endsWith(`.${zone}`)) throw errors.invalidRoutePattern(`Route pattern must include zone name: ${zoneName}`);
}
