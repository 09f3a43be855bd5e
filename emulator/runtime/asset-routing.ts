/**
 * Which answer a request to a Worker with static assets gets, from its manifest paths and its
 * `assets.config` (Workers docs, "Static Assets → Routing": html_handling, run_worker_first; "Redirects":
 * `_redirects`; SOURCES.md §11): a file, a redirect, or the Worker. Plain data, no workerd.
 */
import { findRedirect, redirectLocation, redirectRulesOf } from "./asset-rules";

/** What html_handling makes of a path: a file, or a redirect to the path's canonical spelling. */
export type AssetRoute = { kind: "file"; path: string } | { kind: "redirect"; location: string } | { kind: "worker" };

/** The answer to a request: a file (200), a redirect, a not-found answer, or the Worker. */
export type AssetAnswer =
  | { kind: "file"; path: string }
  | { kind: "redirect"; status: number; location: string }
  | { kind: "not-found"; path?: string; status: number }
  | { kind: "worker" };

/** [INF] html_handling's canonical-path redirects are 307 (wrangler's asset worker answers them so). */
const CANONICAL_REDIRECT = 307;

/** `run_worker_first` rules: `*` matches anything, `!/…` excludes and wins over the others. */
export function runsWorkerFirst(rule: unknown, pathname: string): boolean {
  if (typeof rule === "boolean") return rule;
  if (!Array.isArray(rule)) return false;
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    ).test(pathname);
  const rules = rule.filter((r): r is string => typeof r === "string");
  if (rules.some((r) => r.startsWith("!") && matches(r.slice(1)))) return false;
  return rules.some((r) => !r.startsWith("!") && matches(r));
}

/** The file `pathname` names under `html_handling` (default auto-trailing-slash), or a redirect to its canonical path. */
export function resolveHtml(files: ReadonlySet<string>, pathname: string, handling: unknown): AssetRoute | undefined {
  const has = (p: string) => files.has(p);
  if (handling === "none") return has(pathname) ? { kind: "file", path: pathname } : undefined;
  const slash = handling === "force-trailing-slash";
  const drop = handling === "drop-trailing-slash";
  if (pathname.endsWith("/index.html")) {
    const dir = pathname.slice(0, -"index.html".length);
    if (has(pathname)) return { kind: "redirect", location: drop && dir !== "/" ? dir.slice(0, -1) : dir };
  } else if (pathname.endsWith(".html") && has(pathname)) {
    const bare = pathname.slice(0, -".html".length);
    return { kind: "redirect", location: slash ? `${bare}/` : bare };
  }
  if (pathname.endsWith("/")) {
    const bare = pathname.slice(0, -1);
    if (has(`${pathname}index.html`))
      return drop && bare !== "" ? { kind: "redirect", location: bare } : { kind: "file", path: `${pathname}index.html` };
    if (bare !== "" && has(`${bare}.html`)) return slash ? { kind: "file", path: `${bare}.html` } : { kind: "redirect", location: bare };
    return undefined;
  }
  if (has(pathname)) return { kind: "file", path: pathname };
  if (has(`${pathname}.html`)) return slash ? { kind: "redirect", location: `${pathname}/` } : { kind: "file", path: `${pathname}.html` };
  if (has(`${pathname}/index.html`))
    return drop ? { kind: "file", path: `${pathname}/index.html` } : { kind: "redirect", location: `${pathname}/` };
  return undefined;
}

/**
 * `run_worker_first` first, then `_redirects` (followed whether or not a file matches; a 200 serves
 * the destination path instead, or 404), then the files under html_handling; a request no file
 * answers goes to the Worker (`not_found_handling` applies only without one to fall through to).
 */
export function routeAsset(files: ReadonlySet<string>, config: Record<string, unknown>, url: URL, hasWorker: boolean): AssetAnswer {
  if (hasWorker && runsWorkerFirst(config.run_worker_first, url.pathname)) return { kind: "worker" };
  let pathname = url.pathname;
  let proxied = false;
  const redirects = redirectRulesOf(config._redirects);
  const redirect = redirects && findRedirect(redirects, url);
  if (redirect && redirect.status !== 200)
    return { kind: "redirect", status: redirect.status, location: redirectLocation(redirect.to, url) };
  if (redirect) {
    pathname = new URL(redirect.to, url).pathname;
    proxied = true;
  }
  const found = resolveHtml(files, pathname, config.html_handling);
  if (found?.kind === "redirect") return { kind: "redirect", status: CANONICAL_REDIRECT, location: found.location + url.search };
  if (found?.kind === "file") return found;
  if (hasWorker && !proxied) return { kind: "worker" };
  return notFound(files, config.not_found_handling, pathname);
}

/** `404-page`: the nearest `404.html` up the path, status 404; `single-page-application`: `/index.html`, 200. */
function notFound(files: ReadonlySet<string>, handling: unknown, pathname: string): { kind: "not-found"; path?: string; status: number } {
  if (handling === "single-page-application" && files.has("/index.html")) return { kind: "not-found", path: "/index.html", status: 200 };
  if (handling === "404-page") {
    const parts = pathname.split("/").slice(0, -1);
    for (let i = parts.length; i >= 1; i--) {
      const candidate = `${parts.slice(0, i).join("/")}/404.html`;
      if (files.has(candidate)) return { kind: "not-found", path: candidate, status: 404 };
    }
  }
  return { kind: "not-found", status: 404 };
}
