/** Cloudflare route matching for the local edge (pure functions, no workerd). */
import { matchRoute, parsePattern, resolveTarget, workersDevScript } from "../../emulator/runtime";

const r = (pattern: string, script = pattern) => ({ pattern, script });

describe("route patterns", () => {
  it("parses host and path wildcards, ignoring the scheme", () => {
    expect(parsePattern("*.platform.example.com/*")).toEqual({
      host: ".platform.example.com",
      hostWildcard: true,
      path: "/",
      pathWildcard: true,
    });
    expect(parsePattern("https://Example.com/api")).toEqual({
      host: "example.com",
      hostWildcard: false,
      path: "/api",
      pathWildcard: false,
    });
    expect(parsePattern("example.com")).toEqual({ host: "example.com", hostWildcard: false, path: "/", pathWildcard: false });
  });

  it("matches a leading host wildcard: '*.' = subdomains only, '*' = apex too", () => {
    const sub = [r("*.platform.example.com/*")];
    expect(matchRoute(sub, "customer-a.platform.example.com", "/")).toBe(sub[0]);
    expect(matchRoute(sub, "a.b.platform.example.com:8080", "/x")).toBe(sub[0]);
    expect(matchRoute(sub, "platform.example.com", "/")).toBeUndefined();
    const all = [r("*example.com/*")];
    expect(matchRoute(all, "example.com", "/")).toBe(all[0]);
    expect(matchRoute(all, "www.example.com", "/")).toBe(all[0]);
    expect(matchRoute(all, "example.org", "/")).toBeUndefined();
  });

  it("matches paths exactly, or as a prefix with a trailing '*' (query string included)", () => {
    const routes = [r("example.com/api"), r("example.com/images*")];
    expect(matchRoute(routes, "example.com", "/api")).toBe(routes[0]);
    expect(matchRoute(routes, "example.com", "/api/")).toBeUndefined();
    expect(matchRoute(routes, "example.com", "/api?x=1")).toBeUndefined();
    expect(matchRoute(routes, "example.com", "/images123?x")).toBe(routes[1]);
    expect(matchRoute(routes, "EXAMPLE.com", "/images")).toBe(routes[1]);
  });

  it("lets the most specific pattern win", () => {
    const routes = [
      r("*example.com/*"),
      r("*.example.com/*"),
      r("www.example.com/*"),
      r("www.example.com/api/*"),
      r("www.example.com/api/v1"),
    ];
    expect(matchRoute(routes, "www.example.com", "/")!.pattern).toBe("www.example.com/*");
    expect(matchRoute(routes, "www.example.com", "/api/x")!.pattern).toBe("www.example.com/api/*");
    expect(matchRoute(routes, "www.example.com", "/api/v1")!.pattern).toBe("www.example.com/api/v1");
    expect(matchRoute(routes, "shop.example.com", "/")!.pattern).toBe("*.example.com/*");
    expect(matchRoute(routes, "example.com", "/")!.pattern).toBe("*example.com/*");
    // A literal host beats a wildcard host even when the wildcard route has the longer path.
    expect(matchRoute([r("*.example.com/a"), r("a.example.com/*")], "a.example.com", "/a")!.pattern).toBe("a.example.com/*");
    // Order of the list does not matter.
    expect(matchRoute([...routes].reverse(), "www.example.com", "/api/x")!.pattern).toBe("www.example.com/api/*");
  });

  it("resolves workers.dev names for enabled scripts only", () => {
    const dev = { subdomain: "acme", enabledScripts: ["router"] };
    expect(workersDevScript("router.acme.workers.dev", dev)).toBe("router");
    expect(workersDevScript("Router.acme.workers.dev:443", dev)).toBe("router");
    expect(workersDevScript("other.acme.workers.dev", dev)).toBeUndefined();
    expect(workersDevScript("router.else.workers.dev", dev)).toBeUndefined();
    expect(workersDevScript("router.acme.workers.dev", { enabledScripts: ["router"] })).toBeUndefined();
  });

  it("prefers routes, reports a route without a Worker, and finds nothing otherwise", () => {
    const source = {
      routes: () => [r("*.platform.example.com/*", "router"), r("*.platform.example.com/static/*", "")],
      workersDev: () => ({ subdomain: "acme", enabledScripts: ["router"] }),
    };
    expect(resolveTarget(source, "a.platform.example.com", "/")).toEqual({
      kind: "route",
      script: "router",
      pattern: "*.platform.example.com/*",
    });
    expect(resolveTarget(source, "a.platform.example.com", "/static/x.css")).toEqual({
      kind: "no-worker",
      pattern: "*.platform.example.com/static/*",
    });
    expect(resolveTarget(source, "router.acme.workers.dev", "/")).toEqual({ kind: "workers.dev", script: "router" });
    expect(resolveTarget(source, "elsewhere.test", "/")).toBeUndefined();
  });
});
