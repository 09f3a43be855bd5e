/** The `pulumi-cloudflare-wfp-emulator` command, run in-process through its exported `main`. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main, parseArgs, USAGE } from "../../emulator/cli";
import { sdk } from "./helpers";
import { workerForm } from "./script-helpers";

const ACCOUNT = "0123456789abcdef0123456789abcdef";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let savedExitCode: typeof process.exitCode;
beforeEach(() => (savedExitCode = process.exitCode));
afterEach(() => (process.exitCode = savedExitCode));

describe("parseArgs", () => {
  it("reads --flag value and --flag=value forms", () => {
    expect(parseArgs(["--port", "9000", "--data=/tmp/x", "--token", "t", "--account-id", ACCOUNT, "--rate-limit", "1200/300000"])).toEqual({
      port: 9000,
      dataDir: "/tmp/x",
      apiToken: "t",
      accountId: ACCOUNT,
      rateLimit: { requests: 1200, windowMs: 300000 },
    });
    expect(parseArgs([])).toEqual({ port: 8787 });
    expect(parseArgs(["--edge-port=8788"])).toEqual({ port: 8787, edge: { port: 8788 } });
    expect(parseArgs(["--host", "0.0.0.0", "--allow-remote", "--control-token", "ops"])).toEqual({
      port: 8787,
      host: "0.0.0.0",
      allowRemote: true,
      controlToken: "ops",
    });
  });

  it("reads the latency model: realistic (seeded) or uniform", () => {
    expect(parseArgs(["--latency", "realistic", "--latency-seed", "7"])).toEqual({
      port: 8787,
      faults: { latency: { model: "realistic" }, seed: 7 },
    });
    expect(parseArgs(["--latency=uniform:50"])).toEqual({ port: 8787, faults: { latency: { ms: 50 } } });
    expect(parseArgs(["--latency", "uniform:20-200"])).toEqual({ port: 8787, faults: { latency: { minMs: 20, maxMs: 200 } } });
  });

  it.each([
    [["--port", "x"]],
    [["--port", "70000"]],
    [["--account-id", "ABC"]],
    [["--token"]],
    [["--bogus"]],
    [["--rate-limit", "10"]],
    [["--edge-port", "-1"]],
    [["--latency", "fast"]],
    [["--latency", "uniform:9-3"]],
    [["--latency-seed", "x"]],
  ])("rejects %j", (argv) => {
    expect(() => parseArgs(argv)).toThrow();
  });
});

describe("main", () => {
  it("prints the base URL and env lines, serves the API, and stops cleanly on SIGTERM", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-cli-"));
    const before = process.listeners("SIGTERM");
    const { io, out } = capture();
    const session = await main(["--port", "0", "--token", "cli-token", "--account-id", ACCOUNT, "--data", dir], io);
    try {
      expect(session).toBeDefined();
      const env = Object.fromEntries(out.filter((l) => l.startsWith("CLOUDFLARE_")).map((l) => l.split("=", 2)));
      expect(env).toEqual({
        CLOUDFLARE_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/),
        CLOUDFLARE_API_TOKEN: "cli-token",
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      });
      expect(out[0]).toBe(`Cloudflare API emulator listening on ${env.CLOUDFLARE_BASE_URL}`);

      const emu = session!.emulator;
      expect(emu.url).toBe(env.CLOUDFLARE_BASE_URL);
      await sdk(emu).workersForPlatforms.dispatch.namespaces.create({ account_id: ACCOUNT, name: "from-cli" });
      expect(fs.existsSync(path.join(dir, "state.journal"))).toBe(true);

      // Invoke the handler main installed (emitting a real signal would reach Jest's own handlers too).
      const added = process.listeners("SIGTERM").filter((l) => !before.includes(l));
      expect(added).toHaveLength(1);
      added[0]("SIGTERM");
      await session!.stopped;
      expect(out).toContain("received SIGTERM, stopping");
      expect(process.listeners("SIGTERM")).toEqual(before);
      await expect(fetch(`${emu.url}/accounts`)).rejects.toThrow();
    } finally {
      await session?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to listen beyond loopback without --allow-remote (exit code 1, naming the flag)", async () => {
    const { io, err } = capture();
    await expect(main(["--port", "0", "--host", "0.0.0.0"], io, { handleSignals: false })).resolves.toBeUndefined();
    expect(err[0]).toMatch(/cannot start the emulator: refusing to listen on 0\.0\.0\.0, which is beyond loopback.*--allow-remote/);
    expect(process.exitCode).toBe(1);
  });

  it("on 0.0.0.0 with --allow-remote: warns what is exposed, keeps every control endpoint behind the token, shows no secret", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-cli-remote-"));
    const SECRET = "cli-secret-3141";
    const { io, out, err } = capture();
    const session = await main(["--port", "0", "--host", "0.0.0.0", "--allow-remote", "--data", dir], io, { handleSignals: false });
    try {
      expect(session).toBeDefined();
      const printed = Object.fromEntries(out.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split("=", 2)));
      expect(printed.CLOUDFLARE_BASE_URL).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/client\/v4$/);
      expect(printed.EMULATOR_CONTROL_TOKEN).toBe(printed.CLOUDFLARE_API_TOKEN);
      const warning = err.join("\n");
      expect(warning).toMatch(/^WARNING: the emulator listens on 0\.0\.0\.0, beyond loopback/);
      for (const exposed of ["/__emulator/state", "/requests", "/faults", "/rate-limit", "/reset", printed.CLOUDFLARE_BASE_URL])
        expect(warning).toContain(exposed);

      const origin = new URL(printed.CLOUDFLARE_BASE_URL).origin;
      const account = `${printed.CLOUDFLARE_BASE_URL}/accounts/${printed.CLOUDFLARE_ACCOUNT_ID}`;
      const api = { authorization: `Bearer ${printed.CLOUDFLARE_API_TOKEN}` };
      await fetch(`${account}/workers/dispatch/namespaces`, {
        method: "POST",
        headers: { ...api, "content-type": "application/json" },
        body: '{"name":"ns"}',
      });
      const form = workerForm({ main_module: "index.js", bindings: [{ type: "secret_text", name: "S", text: SECRET }] });
      expect((await fetch(`${account}/workers/dispatch/namespaces/ns/scripts/t`, { method: "PUT", headers: api, body: form })).status).toBe(
        200,
      );

      const answers: string[] = [];
      const endpoints: Array<[string, string, string?]> = [
        ["GET", "state"],
        ["GET", "requests"],
        ["GET", "faults"],
        ["GET", "rate-limit"],
        ["PUT", "rate-limit", "null"],
        ["POST", "faults", "{}"],
        ["DELETE", "faults"],
        ["DELETE", "rate-limit"],
        ["DELETE", "requests"],
        ["POST", "reset"],
      ];
      for (const [method, what, body] of endpoints) {
        const call = (headers: Record<string, string>) =>
          fetch(`${origin}/__emulator/${what}`, {
            method,
            headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
            body,
          });
        const refused = await call({});
        expect([method, what, refused.status]).toEqual([method, what, 400]);
        answers.push(await refused.text());
        const answered = await call({ authorization: `Bearer ${printed.EMULATOR_CONTROL_TOKEN}` });
        expect([method, what, answered.status]).toEqual([method, what, 200]);
        answers.push(await answered.text());
        // The state is read before the reset at the end: it must hold the tenant, without its secret's value.
        if (what === "state") expect(answers.at(-1)).toContain('"name":"S"');
      }
      const files = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
      for (const text of [...answers, ...files, ...out, ...err]) expect(text).not.toContain(SECRET);
    } finally {
      await session?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints usage for --help without starting", async () => {
    const { io, out } = capture();
    await expect(main(["--help"], io, { handleSignals: false })).resolves.toBeUndefined();
    expect(out).toEqual([USAGE]);
  });

  it("reports a usage error with exit code 2", async () => {
    const { io, err } = capture();
    await expect(main(["--port", "nope"], io, { handleSignals: false })).resolves.toBeUndefined();
    expect(err[0]).toMatch(/--port must be/);
    expect(process.exitCode).toBe(2);
  });

  it("reports a start failure (port in use) with exit code 1", async () => {
    const first = await main(["--port", "0"], capture().io, { handleSignals: false });
    try {
      const { io, err } = capture();
      await expect(main(["--port", String(first!.emulator.port)], io, { handleSignals: false })).resolves.toBeUndefined();
      expect(err[0]).toMatch(/cannot start the emulator: .*EADDRINUSE/);
      expect(process.exitCode).toBe(1);
    } finally {
      await first!.stop();
    }
  });
});
