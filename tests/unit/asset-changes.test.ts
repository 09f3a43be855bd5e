/**
 * The one line `pulumi preview` shows about a Worker's static assets, from the compact manifest
 * state keeps (path and short hash per file): which files changed, were added or removed, whether
 * `_headers` or `_redirects` did, and how small that manifest stays for a large site.
 */
import { createHash } from "node:crypto";
import { compactManifest, describeAssetChanges, readCompactManifest } from "../../provider/workers/asset-changes";
import type { AssetDirectory, AssetFile } from "../../provider/workers/assets";

const hashOf = (content: string) => createHash("sha256").update(content).digest("hex").slice(0, 32);
const file = (path: string, content: string): AssetFile => ({
  path,
  absolute: `/site${path}`,
  size: content.length,
  hash: hashOf(content),
});
const site = (files: Record<string, string>, extra: Partial<AssetDirectory> = {}): AssetDirectory => ({
  files: Object.entries(files).map(([p, c]) => file(p, c)),
  manifestHash: "",
  ...extra,
});

const PAGES = { "/index.html": "home", "/about.html": "about", "/404.html": "missing" };

describe("the compact manifest", () => {
  it("reads back as each path with the first 8 hex digits of its hash, and keeps no file content", () => {
    const compact = compactManifest(site(PAGES, { headers: "/*\n  X-Frame-Options: DENY" }));
    const entries = readCompactManifest(compact)!;
    expect(entries.get("/about.html")).toBe(hashOf("about").slice(0, 8));
    expect([...entries.keys()]).toEqual(["/index.html", "/about.html", "/404.html", "_headers"]);
    expect(compact).not.toContain("DENY");
  });

  it("is not read from a value it did not write", () => {
    expect(readCompactManifest(undefined)).toBeUndefined();
    expect(readCompactManifest("04da6b54-80e4-46f7-96ec-b56ff0331ba9")).toBeUndefined();
    expect(readCompactManifest({ "/a": "b" })).toBeUndefined();
  });

  it("keeps a 20,000-file site under 256 KB", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) files[`/${["assets", "docs/guide", "blog/2024", "img"][i % 4]}/page-${i}.html`] = `page ${i}`;
    const compact = compactManifest(site(files));
    expect(compact.length).toBeLessThan(256 * 1024);
    expect(readCompactManifest(compact)!.size).toBe(20_000);
  });
});

describe("the summary", () => {
  const before = compactManifest(site(PAGES));

  it("counts every file as to upload when there is no previous manifest", () => {
    expect(describeAssetChanges(undefined, before)).toBe("3 files to upload");
  });

  it("leaves the comparison to the up for assets deployed before state kept a manifest", () => {
    expect(describeAssetChanges(undefined, before, true)).toBe("3 files, compared at up (state keeps no earlier manifest)");
  });

  it("names the one changed file among all", () => {
    expect(describeAssetChanges(before, compactManifest(site({ ...PAGES, "/about.html": "about us" })))).toBe(
      "1 of 3 files changed: /about.html",
    );
  });

  it("counts added files as changed and names removed ones apart", () => {
    const { "/404.html": _gone, ...rest } = PAGES;
    const after = compactManifest(site({ ...rest, "/blog.html": "blog" }));
    expect(describeAssetChanges(before, after)).toBe("1 of 3 files changed: /blog.html; 1 removed: /404.html");
  });

  it("says when only _headers or _redirects changed", () => {
    const withHeaders = compactManifest(site(PAGES, { headers: "/*\n  A: b" }));
    expect(describeAssetChanges(before, withHeaders)).toBe("_headers changed");
    expect(describeAssetChanges(withHeaders, compactManifest(site(PAGES, { headers: "/*\n  A: c", redirects: "/a /b" })))).toBe(
      "_headers and _redirects changed",
    );
  });

  it("says nothing changed, with the count, for the same files", () => {
    expect(describeAssetChanges(before, compactManifest(site(PAGES)))).toBe("no changes to 3 files");
  });

  it("stays one line with five names and a count for many changes", () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/p${String(i).padStart(2, "0")}.html`, `v${i}`]));
    const summary = describeAssetChanges(
      compactManifest(site(many)),
      compactManifest(site(Object.fromEntries(Object.keys(many).map((p) => [p, "new"])))),
    );
    expect(summary).toBe("12 of 12 files changed: /p00.html, /p01.html, /p02.html, /p03.html, /p04.html and 7 more");
  });
});
