/** Which answer a request to a Worker with static assets gets: a file, a redirect (canonical path or `_redirects`), the Worker, or not-found handling. */
import { resolveHtml, routeAsset, runsWorkerFirst } from "../../emulator/runtime/asset-routing";

const files = new Set(["/index.html", "/about.html", "/docs/index.html", "/docs/404.html", "/404.html", "/app.js"]);
const file = (path: string) => ({ kind: "file", path });
const redirect = (location: string) => ({ kind: "redirect", location });
const at = (pathAndQuery: string) => new URL(pathAndQuery, "https://site.example.com");

describe("html_handling", () => {
  it("auto-trailing-slash (the default): files without .html, folders with a slash", () => {
    expect(resolveHtml(files, "/", undefined)).toEqual(file("/index.html"));
    expect(resolveHtml(files, "/about", undefined)).toEqual(file("/about.html"));
    expect(resolveHtml(files, "/about.html", undefined)).toEqual(redirect("/about"));
    expect(resolveHtml(files, "/about/", undefined)).toEqual(redirect("/about"));
    expect(resolveHtml(files, "/docs", undefined)).toEqual(redirect("/docs/"));
    expect(resolveHtml(files, "/docs/index.html", undefined)).toEqual(redirect("/docs/"));
    expect(resolveHtml(files, "/app.js", undefined)).toEqual(file("/app.js"));
  });

  it("force-trailing-slash: every HTML page ends with a slash", () => {
    expect(resolveHtml(files, "/about", "force-trailing-slash")).toEqual(redirect("/about/"));
    expect(resolveHtml(files, "/about/", "force-trailing-slash")).toEqual(file("/about.html"));
    expect(resolveHtml(files, "/about.html", "force-trailing-slash")).toEqual(redirect("/about/"));
  });

  it("drop-trailing-slash: no HTML page ends with a slash", () => {
    expect(resolveHtml(files, "/docs/", "drop-trailing-slash")).toEqual(redirect("/docs"));
    expect(resolveHtml(files, "/docs", "drop-trailing-slash")).toEqual(file("/docs/index.html"));
    expect(resolveHtml(files, "/", "drop-trailing-slash")).toEqual(file("/index.html"));
  });

  it("none: exact paths only", () => {
    expect(resolveHtml(files, "/about", "none")).toBeUndefined();
    expect(resolveHtml(files, "/about.html", "none")).toEqual(file("/about.html"));
  });
});

describe("run_worker_first", () => {
  it("takes true, false, or rules with * globs where a negated rule wins", () => {
    expect(runsWorkerFirst(true, "/x")).toBe(true);
    expect(runsWorkerFirst(false, "/x")).toBe(false);
    expect(runsWorkerFirst(["/api/*"], "/api/users")).toBe(true);
    expect(runsWorkerFirst(["/api/*", "!/api/docs/*"], "/api/docs/intro")).toBe(false);
    expect(runsWorkerFirst(["/api/*"], "/about")).toBe(false);
  });

  it("sends a matching request to the Worker even when a file matches", () => {
    expect(routeAsset(files, { run_worker_first: ["/about*"] }, at("/about"), true)).toEqual({ kind: "worker" });
  });
});

describe("a request no file answers", () => {
  it("goes to the Worker when there is one", () => {
    expect(routeAsset(files, { not_found_handling: "404-page" }, at("/missing"), true)).toEqual({ kind: "worker" });
  });

  it("without a Worker: the nearest 404.html (404), the SPA's index.html (200), or a bare 404", () => {
    expect(routeAsset(files, { not_found_handling: "404-page" }, at("/docs/missing"), false)).toEqual({
      kind: "not-found",
      path: "/docs/404.html",
      status: 404,
    });
    expect(routeAsset(files, { not_found_handling: "404-page" }, at("/missing"), false)).toEqual({
      kind: "not-found",
      path: "/404.html",
      status: 404,
    });
    expect(routeAsset(files, { not_found_handling: "single-page-application" }, at("/app/route"), false)).toEqual({
      kind: "not-found",
      path: "/index.html",
      status: 200,
    });
    expect(routeAsset(files, {}, at("/missing"), false)).toEqual({ kind: "not-found", status: 404 });
  });
});

describe("_redirects in the routing", () => {
  const config = {
    _redirects: "/old /about 301\n/about /elsewhere 302\n/blog/* /docs/:splat 200\n/gone/* /missing.html 200\n/api/x /y 308",
  };

  it("redirects before any file, even when a file matches the path, and keeps the request's query", () => {
    expect(routeAsset(files, config, at("/old?ref=1"), true)).toEqual({ kind: "redirect", status: 301, location: "/about?ref=1" });
    expect(routeAsset(files, config, at("/about"), true)).toEqual({ kind: "redirect", status: 302, location: "/elsewhere" });
  });

  it("proxies a 200 to the destination's file without changing the URL, and answers 404 when there is none", () => {
    expect(routeAsset(files, config, at("/blog/"), true)).toEqual(file("/docs/index.html"));
    expect(routeAsset(files, config, at("/gone/x"), true)).toEqual({ kind: "not-found", status: 404 });
  });

  it("leaves a run_worker_first path to the Worker: redirects apply to asset responses only", () => {
    expect(routeAsset(files, { ...config, run_worker_first: ["/api/*"] }, at("/api/x"), true)).toEqual({ kind: "worker" });
  });

  it("gives html_handling's canonical redirects status 307 with the query kept", () => {
    expect(routeAsset(files, {}, at("/about.html?x=1"), true)).toEqual({ kind: "redirect", status: 307, location: "/about?x=1" });
  });
});
