/**
 * `npm run bench:fleet`: a TenantFleet of N tenants under the real engine against the emulator: the
 * time of a first up, a no-op preview, a no-op up, a one-tenant change, a change of the code every
 * tenant shares and a refresh, the requests each sends (and how many were refused with 429 or failed
 * with 5xx), and the state bytes per tenant. Then a second fleet of N tenants written with the
 * package's binding helpers (bench/fleet-helpers-program: a plain text, a `json(...)`, a `secret(...)`
 * and a KVNamespace binding each) is deployed, previewed and destroyed, for its state bytes per
 * tenant. Last, a fleet of N static sites (bench/fleet-sites-program, three files each): its first up
 * and the up after one file of one site changed. State bytes come from `pulumi stack export`. Results are printed and recorded in
 * bench/results.json and bench/results.md (a run with the same N, rate limit and latency replaces the earlier one).
 * The emulator keeps Cloudflare's documented limits: the window (scaled with --rate-limit), the block after
 * exceeding it (as long as the window) and 200 requests per second per IP.
 *
 *   npm run bench:fleet -- --tenants 1000 [--rate-limit 1200/300] [--latency-ms 150-1500] [--first-up-only] [--out DIR | --no-write]
 *
 * --first-up-only stops after the plain fleet's first up (a 1000-tenant run of every scenario at
 * Cloudflare's real window is paced to about forty minutes).
 */
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCUMENTED_PER_IP, startEmulator } from "../emulator";
import { parseLatency } from "./lib/args";
import { emptyWindowFloorMs } from "./lib/metrics";
import { emulatorLatency } from "./lib/run";
import { benchRoot, installPackage, workspaceRoot } from "./lib/workspace";
import { type Operation, operationArgs, runPulumi } from "./lib/pulumi-cli";
import { type FleetRow, machine, writeFleetResults } from "./lib/report";
import { engineEnv, engineRoot, repoRoot } from "../toolchain/engine-env";
import { type StateBytes, exportedStateBytes } from "./lib/state-bytes";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const siteName = (i: number) => `site-${String(i).padStart(5, "0")}`;

/** N sites of three files each (two pages and a header rule), each page naming its site. */
function writeSites(dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const site = path.join(dir, "sites", siteName(i));
    fs.mkdirSync(site, { recursive: true });
    fs.writeFileSync(path.join(site, "index.html"), `<h1>${siteName(i)}</h1>\n`);
    fs.writeFileSync(path.join(site, "about.html"), `<p>about ${siteName(i)}</p>\n`);
    fs.writeFileSync(path.join(site, "_headers"), `/*\n  X-Site: ${siteName(i)}\n`);
  }
}

/**
 * The fleet's progress lines a command printed, as a user saw them: the first, then one per five
 * minutes (Cloudflare's window), and the last, each with the seconds since the command started.
 */
function progressSampler(startedAt: number): { take: (text: string) => void; lines: Array<{ atS: number; line: string }> } {
  const lines: Array<{ atS: number; line: string }> = [];
  let last: { atS: number; line: string } | undefined;
  // The CLI prints each line again in its closing "Diagnostics:" section: a repeat is not news.
  const printed = new Set<string>();
  const take = (text: string) => {
    for (const match of text.matchAll(/cloudflare-wfp: fleet '[^']*': [^\n]*/g)) {
      const line = match[0].trim();
      if (printed.has(line)) continue;
      printed.add(line);
      const seen = { atS: Math.round((Date.now() - startedAt) / 1000), line };
      const previous = lines.at(-1);
      if (previous === undefined || seen.atS - previous.atS >= 300) lines.push(seen);
      else last = seen;
    }
  };
  return {
    take,
    get lines() {
      return last && last.atS > (lines.at(-1)?.atS ?? -1) ? [...lines, last] : lines;
    },
  };
}

async function main(): Promise<void> {
  const tenants = Number(arg("tenants", "1000"));
  const rateLimit = arg("rate-limit", "1200/300");
  const [requests, seconds] = rateLimit.split("/").map(Number);
  const latencyArg = process.argv.includes("--latency-ms") ? arg("latency-ms", "0") : undefined;
  const latency = latencyArg === undefined ? { latency: null } : emulatorLatency(parseLatency(latencyArg));
  const firstUpOnly = process.argv.includes("--first-up-only");
  installPackage();
  const emu = await startEmulator({
    rateLimit: { requests, windowMs: seconds * 1000, blockMs: seconds * 1000, perIp: { ...DOCUMENTED_PER_IP } },
    faults: latency,
  });
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
  /** A fresh project (a copy of bench/<program>) and backend, its stack set to N tenants. */
  const openStack = async (program: string) => {
    const dir = path.join(workspaceRoot, "stacks", `${program}-${tenants}`);
    const backendDir = path.join(benchRoot, "backends", `${program}-${tenants}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(backendDir, { recursive: true, force: true });
    fs.mkdirSync(backendDir, { recursive: true });
    fs.cpSync(path.join(repoRoot, "bench", program), dir, { recursive: true });
    const envVars = {
      ...engineEnv({ backendDir, pulumiHome: path.join(workspaceRoot, ".pulumi-home"), passphrase: "bench" }),
      ...emu.env,
      CLOUDFLARE_WFP_RATE_LIMIT: rateLimit,
    };
    const stack = await LocalWorkspace.createStack({ stackName: "bench", workDir: dir }, { pulumiCommand, envVars });
    await stack.setConfig("tenants", { value: String(tenants) });
    // The command a user runs (lib/pulumi-cli.ts says why not the Automation API's operation).
    const run = (operation: Operation) => (onOutput?: (text: string) => void) =>
      runPulumi(operationArgs(operation, "bench", 0), { cwd: dir, env: envVars, onOutput });
    const stateBytes = () => exportedStateBytes({ cwd: dir, env: envVars, stack: "bench", tenants });
    return { stack, run, stateBytes, dir };
  };
  const rows: FleetRow[] = [];
  const measure = async (scenario: string, step: (onOutput?: (text: string) => void) => Promise<unknown>) => {
    emu.requests.clear();
    const started = Date.now();
    const progress = progressSampler(started);
    await step(progress.take);
    const sent = emu.requests.entries;
    const row: FleetRow = {
      scenario,
      wallMs: Date.now() - started,
      requests: emu.requests.count(),
      writes: emu.requests.writes().length,
      refused429: emu.requests.count({ status: 429 }),
      failed5xx: emu.requests.count((e) => e.status !== null && e.status >= 500),
      ...(progress.lines.length > 0 ? { progress: progress.lines } : {}),
      ...(sent.length > 0
        ? {
            requestSpanMs: sent.reduce((last, e) => Math.max(last, e.endedAt ?? e.startedAt), 0) - sent[0].startedAt,
            pacedFloorMs: emptyWindowFloorMs(sent.length, [
              { quota: requests, windowMs: seconds * 1000 },
              { quota: DOCUMENTED_PER_IP.requests, windowMs: DOCUMENTED_PER_IP.windowMs },
            ]),
          }
        : {}),
    };
    rows.push(row);
    console.log(
      `| ${scenario} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.requests} | ${row.writes} | ${row.refused429} | ${row.failed5xx} | ${row.requestSpanMs === undefined ? "-" : (row.requestSpanMs / 1000).toFixed(1)} s |`,
    );
  };
  const reportBytes = (kind: string, bytes: StateBytes) =>
    console.log(
      `state (${kind}): ${bytes.deploymentPerTenant} bytes per tenant in the exported deployment; the fleet resource alone ${bytes.fleetPerTenant}`,
    );
  const stacks: Array<Awaited<ReturnType<typeof openStack>>> = [];
  const record = (plainBytes: StateBytes, helperBytes?: StateBytes) => {
    if (process.argv.includes("--no-write")) return;
    const written = writeFleetResults(arg("out", path.join(repoRoot, "bench")), {
      tenants,
      rateLimit: `${requests}/${seconds}s`,
      realRateLimit: requests === 1200 && seconds === 300,
      perIp: true,
      ...(latencyArg !== undefined ? { latency: `${latencyArg} ms` } : {}),
      command: `npm run bench:fleet -- ${process.argv.slice(2).join(" ")}`,
      ...(firstUpOnly ? { firstUpOnly: true as const } : {}),
      machine: machine(),
      finishedAt: new Date().toISOString(),
      loadAverage: os.loadavg()[0],
      rows,
      stateBytesPerTenant: plainBytes.fleetPerTenant,
      ...(helperBytes ? { stateBytes: { plain: plainBytes, helpers: helperBytes } } : {}),
    });
    console.log(`bench:fleet: recorded in ${written.md}`);
  };
  try {
    console.log(
      `bench:fleet: N = ${tenants}; rate limit ${rateLimit} (emulator and provider), 200/s per IP; latency ${latencyArg ?? "none added"} ms\n| scenario | time | requests | writes | 429 | 5xx | sending |\n|---|---|---|---|---|---|---|`,
    );
    const plain = await openStack("fleet-program");
    stacks.push(plain);
    await measure("first up", plain.run("up"));
    if (firstUpOnly) {
      record(await plain.stateBytes());
      return;
    }
    await measure("no-op preview", plain.run("preview"));
    await measure("no-op up", plain.run("up"));
    await plain.stack.setConfig("changed", { value: "tenant-00007" });
    await measure("change one tenant (up)", plain.run("up"));
    await plain.stack.setConfig("codeVariant", { value: "v2" });
    await measure("shared code changed (up)", plain.run("up"));
    await measure("refresh", plain.run("refresh"));
    const plainBytes = await plain.stateBytes();
    reportBytes("plain tenants", plainBytes);
    await measure("destroy", plain.run("destroy"));

    const helpers = await openStack("fleet-helpers-program");
    stacks.push(helpers);
    await measure("helper-written tenants: first up", helpers.run("up"));
    await measure("helper-written tenants: no-op preview", helpers.run("preview"));
    await measure("helper-written tenants: no-op up", helpers.run("up"));
    const helperBytes = await helpers.stateBytes();
    reportBytes("helper-written tenants", helperBytes);
    await measure("helper-written tenants: destroy", helpers.run("destroy"));

    const sites = await openStack("fleet-sites-program");
    stacks.push(sites);
    writeSites(sites.dir, tenants);
    await measure("static sites: first up", sites.run("up"));
    fs.writeFileSync(path.join(sites.dir, "sites", siteName(7), "about.html"), `<p>about ${siteName(7)}, edited</p>\n`);
    await measure("static sites: one file of one site changed (up)", sites.run("up"));
    await measure("static sites: destroy", sites.run("destroy"));
    record(plainBytes, helperBytes);
  } finally {
    for (const { stack } of stacks) await stack.workspace.removeStack("bench", { force: true }).catch(() => undefined);
    await emu.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
