/**
 * The README's first command, `npm run demo`, as a newcomer runs it (here on free ports and in a
 * folder of its own): the multi-tenant example goes up with the real engine and real requests reach
 * its tenants through the local edge; `--destroy` then empties the stack.
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
    expect(stdout).toContain('{"same":6}');
  });

  it("tears the stack down with --destroy", async () => {
    const { stdout } = await demo("--destroy");
    expect(stdout).toContain("the stack is empty");
  });
});
