/**
 * The README's command to try the package, `npm run demo`, as a newcomer runs it (here on free ports and in a
 * folder of its own): the multi-tenant example goes up with the real engine and real requests reach
 * its tenants through the local edge; then the platform example goes up as a second stack and its
 * custom domain answers with a static page, the site's API and a Durable Object counter; the saas-domains
 * example goes up as a third, its customers' domains pending until the emulator verifies them, then each
 * answering with the tenant its hostname's metadata names; `--destroy` then empties the three stacks.
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
  // What `npm run demo` runs once built (npm test builds dist-dev/ before any spec).
  run(process.execPath, [path.join(repoRoot, "dist-dev", "scripts", "demo.js"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DEMO_DIR: demoDir, DEMO_PORT: "0", DEMO_EDGE_PORT: "0" },
    maxBuffer: 16 * 1024 * 1024,
  });

afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));

describe("npm run demo", () => {
  it("deploys the three examples and routes requests to their tenants, then previews no change", async () => {
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

    // The saas-domains example: each customer's domain is pending (the edge cannot route it) until verified,
    // then reaches the tenant its custom hostname's metadata names.
    for (const domain of ["shop.acme-store.com", "www.globex-goods.com"]) {
      expect(stdout).toContain(`  ${domain}: the edge answered 530 → now active (certificate active)`);
    }
    const customers = [...stdout.matchAll(/GET http:\/\/(\S+)\/ → 200 in \d+ ms\n\s+(\{.*\})/g)].map((m) => [m[1], JSON.parse(m[2])]);
    expect(customers).toEqual([
      ["shop.acme-store.com", { tenant: "acme", host: "shop.acme-store.com", hostMetadata: { tenant: "acme" } }],
      ["www.globex-goods.com", { tenant: "globex", host: "www.globex-goods.com", hostMetadata: { tenant: "globex" } }],
    ]);

    // A preview of each stack afterwards changes nothing.
    expect(stdout).toContain('{"same":6}');
    expect(stdout).toContain('{"same":5}');
    expect(stdout).toContain('{"same":8}');
  });

  it("tears the three stacks down with --destroy", async () => {
    const { stdout } = await demo("--destroy");
    expect(stdout).toContain("the three stacks are empty");
  });
});
