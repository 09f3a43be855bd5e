/**
 * A Worker with static assets deployed by wrangler, Cloudflare's own CLI: the emulator takes
 * `_headers` and `_redirects` in the form wrangler sends them (the files' text in `assets.config`)
 * and the `assets` binding, and the local edge answers with them as Cloudflare documents.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { edgeRequest } from "../../emulator/edge-client";
import { EmulatorProcess } from "../acceptance/harness/emulator-process";
import { repoRoot } from "../engine/harness/paths";
import { WranglerHome } from "./harness/wrangler";

jest.setTimeout(120_000);

let emulator: EmulatorProcess;
let home: WranglerHome;

const WORKER = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/page")) return env.ASSETS.fetch(new URL("/about", url));
    return new Response("worker " + url.pathname);
  },
};
`;

beforeAll(async () => {
  emulator = await EmulatorProcess.spawn(process.execPath, [
    path.join(repoRoot, "dist", "emulator", "cli.js"),
    "--port",
    "0",
    "--edge-port",
    "0",
  ]);
  home = new WranglerHome(emulator);
  const project = home.project("site", {
    "index.js": WORKER,
    "wrangler.toml": [
      'name = "site"',
      'main = "index.js"',
      'compatibility_date = "2025-01-01"',
      "workers_dev = false",
      'routes = [{ pattern = "www.example.com/*", zone_name = "example.com" }]',
      "[assets]",
      'directory = "./public"',
      'binding = "ASSETS"',
      'run_worker_first = ["/api/*"]',
      "",
    ].join("\n"),
  });
  const pub = path.join(project, "public");
  fs.mkdirSync(pub);
  fs.writeFileSync(path.join(pub, "index.html"), "<h1>Home</h1>\n");
  fs.writeFileSync(path.join(pub, "about.html"), "<h1>About</h1>\n");
  fs.writeFileSync(path.join(pub, "_headers"), "/*\n  X-Frame-Options: DENY\n/about\n  Cache-Control: no-store\n");
  fs.writeFileSync(path.join(pub, "_redirects"), "/company /about 301\n/blog/* https://blog.example.com/:splat\n");
  await home.calls(["deploy"], { cwd: project });
});
afterAll(async () => {
  await emulator?.stop();
  home?.dispose();
});

const edge = (urlPath: string) => edgeRequest({ port: Number(new URL(emulator.env.EDGE_URL).port) }, "www.example.com", urlPath);

describe("a Worker with assets deployed by wrangler", () => {
  it("keeps _headers and _redirects as wrangler sends them, in assets.config, and not as files", async () => {
    const script = (await emulator.account()).scripts.site;
    expect(script.assets!.config).toMatchObject({
      _headers: expect.stringContaining("X-Frame-Options"),
      _redirects: expect.stringContaining("/company /about 301"),
    });
    expect(Object.keys(script.assets!.manifest).sort()).toEqual(["/about.html", "/index.html"]);
  });

  it("answers with the files, every matching _headers rule applied", async () => {
    expect(await edge("/")).toMatchObject({ status: 200, text: "<h1>Home</h1>\n", headers: { "x-frame-options": "DENY" } });
    expect(await edge("/about")).toMatchObject({ status: 200, headers: { "x-frame-options": "DENY", "cache-control": "no-store" } });
  });

  it("redirects as _redirects says, to a path of the site or elsewhere", async () => {
    expect(await edge("/company")).toMatchObject({ status: 301, headers: { location: "/about" } });
    expect(await edge("/blog/2025/hello")).toMatchObject({ status: 302, headers: { location: "https://blog.example.com/2025/hello" } });
  });

  it("runs the Worker for run_worker_first paths, which reaches the files through its ASSETS binding", async () => {
    expect(await edge("/api/other")).toMatchObject({ status: 200, text: "worker /api/other" });
    expect(await edge("/api/page")).toMatchObject({ status: 200, text: "<h1>About</h1>\n" });
  });
});
