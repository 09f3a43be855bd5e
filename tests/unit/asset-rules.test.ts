/**
 * `_headers` and `_redirects` as Cloudflare documents them for Workers static assets: the file
 * formats, path patterns (one splat, placeholders that stop at '/', absolute https patterns),
 * detaching a header, the redirect codes and the limits on the number of rules.
 */
import {
  MAX_DYNAMIC_REDIRECTS,
  MAX_HEADER_RULES,
  MAX_STATIC_REDIRECTS,
  applyHeaders,
  findRedirect,
  matchPattern,
  parseHeaders,
  parseRedirects,
  redirectLocation,
} from "../../emulator/runtime/asset-rules";

const at = (pathAndQuery: string, host = "site.example.com") => new URL(pathAndQuery, `https://${host}`);

describe("path patterns", () => {
  it("match a path exactly, a splat greedily, a placeholder up to the next '/'", () => {
    expect(matchPattern("/about", at("/about"))).toEqual({});
    expect(matchPattern("/about", at("/about/"))).toBeUndefined();
    expect(matchPattern("/blog/*", at("/blog/2024/post"))).toEqual({ splat: "2024/post" });
    expect(matchPattern("/movies/:title", at("/movies/alien"))).toEqual({ title: "alien" });
    expect(matchPattern("/movies/:title", at("/movies/alien/cast"))).toBeUndefined();
    expect(matchPattern("/a.b/*", at("/aXb/c"))).toBeUndefined(); // '.' is literal
  });

  it("match an absolute https pattern against the request's host, a host placeholder stopping at '.'", () => {
    expect(matchPattern("https://:sub.example.com/*", at("/x", "docs.example.com"))).toEqual({ sub: "docs", splat: "x" });
    expect(matchPattern("https://:sub.example.com/*", at("/x", "a.b.example.com"))).toBeUndefined();
    expect(matchPattern("https://other.example.com/*", at("/x"))).toBeUndefined();
  });
});

describe("_headers", () => {
  const text = [
    "# comment",
    "/*",
    "  Content-Security-Policy: default-src 'self';",
    "  X-Robots-Tag: noindex",
    "",
    "/*.jpg",
    "  ! Content-Security-Policy",
    "  X-Robots-Tag: nosnippet",
    "",
    "/movies/:title",
    '  x-movie-name: You are watching ":title"',
    "/static/*",
    "  X-Path: :splat",
    "  X-Path: again",
  ].join("\n");
  const rules = parseHeaders(text);

  it("attaches every matching rule's headers, the later rules appending to a name an earlier one set", () => {
    expect(applyHeaders(rules, at("/index.html"), { "content-type": "text/html" })).toEqual({
      "content-type": "text/html",
      "content-security-policy": "default-src 'self';",
      "x-robots-tag": "noindex",
    });
    expect(applyHeaders(rules, at("/cat.jpg"), {})).toEqual({ "x-robots-tag": "noindex, nosnippet" });
  });

  it("detaches a header with '! Name', including one Cloudflare sends by default", () => {
    expect(applyHeaders(parseHeaders("/*\n  ! Content-Type"), at("/a"), { "content-type": "text/html" })).toEqual({});
  });

  it("fills placeholders and the splat in values; a name given twice in a rule joins its values", () => {
    expect(applyHeaders(rules, at("/movies/alien"), {})).toMatchObject({ "x-movie-name": 'You are watching "alien"' });
    expect(applyHeaders(rules, at("/static/js/app.js"), {})).toMatchObject({ "x-path": "js/app.js, again" });
  });

  it("ignores lines that break the format and rules without headers", () => {
    expect(parseHeaders("X-Orphan: value\n/empty\n/ok\n  bad line\n  Good: yes")).toEqual([
      { pattern: "/ok", set: { good: "yes" }, unset: [] },
    ]);
  });

  it(`applies at most ${MAX_HEADER_RULES} rules and ignores the rest of the file`, () => {
    const many = Array.from({ length: MAX_HEADER_RULES + 5 }, (_, i) => `/p${i}\n  X-N: ${i}`).join("\n");
    const parsed = parseHeaders(many);
    expect(parsed).toHaveLength(MAX_HEADER_RULES);
    expect(parsed.at(-1)!.pattern).toBe(`/p${MAX_HEADER_RULES - 1}`);
  });
});

describe("_redirects", () => {
  it("takes source, destination and an optional code (302 by default), ignoring comments and malformed lines", () => {
    const parsed = parseRedirects("# c\n/home / 301\n/twitch https://twitch.tv\n/bad\n/x /y 404\n/a /b 302 extra words\n/c /d # note");
    expect([...parsed.static.values()]).toEqual([
      { pattern: "/home", to: "/", status: 301 },
      { pattern: "/twitch", to: "https://twitch.tv", status: 302 },
      { pattern: "/c", to: "/d", status: 302 },
    ]);
  });

  it("accepts 200, 301, 302, 303, 307 and 308; a 200 may only proxy to a path of the site", () => {
    const codes = [200, 301, 302, 303, 307, 308].map((code) => `/from${code} /to ${code}`).join("\n");
    expect([...parseRedirects(codes).static.values()].map((r) => r.status)).toEqual([200, 301, 302, 303, 307, 308]);
    expect(parseRedirects("/p https://elsewhere.example/ 200").static.size).toBe(0);
  });

  it("applies the first rule for a source, an exact path before the patterns, then the first pattern that matches", () => {
    const parsed = parseRedirects(
      "/blog/special /special 301\n/blog/special /ignored 302\n/blog/* /posts/:splat 302\n/blog/:slug /never 302",
    );
    expect(findRedirect(parsed, at("/blog/special"))).toEqual({ status: 301, to: "/special" });
    expect(findRedirect(parsed, at("/blog/2024/x"))).toEqual({ status: 302, to: "/posts/2024/x" });
    expect(findRedirect(parsed, at("/products/1"))).toBeUndefined();
  });

  it("fills placeholders in the destination", () => {
    const parsed = parseRedirects("/products/:code/:name /products?code=:code&name=:name");
    expect(findRedirect(parsed, at("/products/42/lamp"))).toEqual({ status: 302, to: "/products?code=42&name=lamp" });
  });

  it("sends a same-site Location as a path, with the request's query unless the rule gives one, and an external one as written", () => {
    expect(redirectLocation("/new", at("/old?a=1"))).toBe("/new?a=1");
    expect(redirectLocation("/new?b=2#top", at("/old?a=1"))).toBe("/new?b=2#top");
    expect(redirectLocation("https://blog.example.org/x", at("/old"))).toBe("https://blog.example.org/x");
  });

  it(`keeps at most ${MAX_STATIC_REDIRECTS} static and ${MAX_DYNAMIC_REDIRECTS} dynamic rules; a static rule after a dynamic one counts as dynamic`, () => {
    const statics = Array.from({ length: MAX_STATIC_REDIRECTS + 3 }, (_, i) => `/s${i} /t 301`);
    const dynamics = Array.from({ length: MAX_DYNAMIC_REDIRECTS + 3 }, (_, i) => `/d${i}/* /t 301`);
    const parsed = parseRedirects([...statics, ...dynamics].join("\n"));
    expect(parsed.static.size).toBe(MAX_STATIC_REDIRECTS);
    expect(parsed.dynamic).toHaveLength(MAX_DYNAMIC_REDIRECTS);
    expect(parseRedirects("/d/* /t\n/late /t").dynamic.map((r) => r.pattern)).toEqual(["/d/*", "/late"]);
  });
});
