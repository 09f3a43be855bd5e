/**
 * The README's command to try the package, `npm run demo`, as a newcomer runs it (here on free ports and in a
 * folder of its own): the multi-tenant example goes up with the real engine and real requests reach
 * its tenants through the local edge; then the platform example goes up as a second stack and its
 * custom domain answers with a static page, the site's API and a Durable Object counter; `--destroy`
 * then empties both stacks.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./harness/paths";

jest.setTimeout(300_000);

const run = promisify(execFile);
const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "wfp-demo-"));
const demo = (...args: string[]) =>
  run(process.execPath, [path.join(repoRoot, "dist", "scripts", "demo.js"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DEMO_DIR: demoDir, DEMO_PORT: "0", DEMO_EDGE_PORT: "0" },
    maxBuffer: 16 * 1024 * 1024,
  });

afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));

describe("npm run demo", () => {
  it("deploys the multi-tenant example and routes requests to its tenants, then previews no change", async () => {
    const { stdout } = await demo();
    expect(stdout).toMatch(/customer-a\.platform\.example\.com\/hello → 200 \(plan pro\)/);
    expect(stdout).toMatch(/customer-b\.platform\.example\.com\/hello → 200/);
    expect(stdout).toMatch(/customer-z\.platform\.example\.com\/hello → 404[\s\S]*no tenant named 'customer-z'/);

    // The platform example, through its custom domain: a static page, the site's API route, and the
    // counter's Durable Object counting up.
    expect(stdout).toMatch(/platform\.example\.com\/site\/about → 200 text\/html in \d+ ms\n\s+<h1>About the platform<\/h1>/);
    expect(stdout).toMatch(
      /platform\.example\.com\/site\/api\/status → 200 application\/json in \d+ ms\n\s+\{"site":"up","served":"by the Worker"\}/,
    );
    const counts = [...stdout.matchAll(/platform\.example\.com\/counter\/visits → 200 application\/json in \d+ ms\n\s+(\{.*\})/g)].map(
      (m) => JSON.parse(m[1]),
    );
    expect(counts).toEqual([
      { counter: "visits", count: 1 },
      { counter: "visits", count: 2 },
    ]);

    // A preview of each stack afterwards changes nothing.
    expect(stdout).toContain('{"same":6}');
    expect(stdout).toContain('{"same":5}');
  });

  it("tears both stacks down with --destroy", async () => {
    const { stdout } = await demo("--destroy");
    expect(stdout).toContain("both stacks are empty");
  });
});
