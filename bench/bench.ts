/**
 * `npm run bench`: how the providers behave at platform scale. For each tenant count, the real Pulumi
 * engine walks one stack through first up, no-op up, preview, a one-tenant change, a shared-module
 * change, refresh and destroy against the emulator with per-request latency and Cloudflare's rate
 * limit, and each scenario's time, traffic, retries, state size and memory are compared with the
 * floor the rate limit allows. Results: bench/results.md and bench/results.json (see bench/README.md).
 *
 *   npm run bench                                   N = 10, 100; 50 ms latency; 1200 requests / 300 s
 *   npm run bench -- --tenants 1000 --rate-limit 1200/60
 *   npm run bench -- --peer alchemy                 the same scenarios with Alchemy too, alternating (bench/peer-alchemy),
 *                                                   with the realistic latency model, then the uniform 50 ms
 *   npm run bench -- --latency realistic            latency by endpoint class (emulator/latency-model.ts)
 */
import * as os from "node:os";
import * as path from "node:path";
import { isRealRateLimit, parseBenchArgs } from "./lib/args";
import { AlchemyPeer, installAlchemy } from "./lib/peer";
import { emptyProgramNoopUpMs } from "./lib/pulumi-floor";
import { PEER_HEADER, TABLE_HEADER, latencyText, machine, peerRow, runSettings, tableRow, writeResults, type BenchRun } from "./lib/report";
import { logsDir, runTenantCount, type ScenarioResult } from "./lib/run";
import { installPackage } from "./lib/workspace";
import { repoRoot } from "../toolchain/engine-env";

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  const realLimit = isRealRateLimit(parsed);
  const models = parsed.latencies.map((latency) => runSettings({ ...parsed, latency }, realLimit));
  console.log(
    `bench: tenants ${parsed.tenants.join(", ")}; latency ${models.map(latencyText).join(", then ")}; --parallel ${models[0].parallel}; provider concurrency ${parsed.providerConcurrency}`,
  );
  console.log(
    realLimit
      ? "bench: rate limit 1200 requests / 300 s (Cloudflare's), on the emulator and in the provider (CLOUDFLARE_WFP_RATE_LIMIT)"
      : `bench: rate limit ${parsed.rateRequests} requests / ${parsed.rateWindowSeconds} s — SCALED DOWN from Cloudflare's 1200 / 300 s to keep the run short; same on the emulator and in the provider (CLOUDFLARE_WFP_RATE_LIMIT)`,
  );
  const m = machine();
  console.log(`bench: machine ${m.cpus} CPUs, ${m.memoryGiB} GiB, Node ${m.node}`);
  console.log("bench: installing the packed package into .bench/workspace ...");
  installPackage();
  const peerVersion = parsed.peer ? installAlchemy() : undefined;
  if (peerVersion) console.log(`bench: peer Alchemy ${peerVersion} (bench/peer-alchemy), alternating with ours scenario by scenario`);

  const runs: BenchRun[] = [];
  let failures = 0;
  for (const latency of parsed.latencies) {
    const options = { ...parsed, latency };
    const settings = runSettings(options, realLimit);
    for (const n of options.tenants) {
      console.log(`\nN = ${n}, latency ${latencyText(settings)}\n${TABLE_HEADER}`);
      const run: BenchRun = {
        tenants: n,
        settings,
        machine: m,
        finishedAt: "",
        scenarios: [],
        command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
      };
      const print = (r: ScenarioResult) => {
        console.log(`${tableRow(r, r.title)}`);
        if (r.error) console.log(`  ✗ ${r.title} failed: ${r.error}`);
      };
      const peer = peerVersion ? await AlchemyPeer.start(n, options, logsDir) : undefined;
      if (peer) run.peer = { tool: "Alchemy", version: peerVersion!, scenarios: [] };
      try {
        run.scenarios = await runTenantCount(n, options, print, async (scenario, ours) => {
          const result = await peer?.run(scenario);
          if (!result) return;
          run.peer!.scenarios.push(result);
          console.log(`  ${PEER_HEADER}\n  ${peerRow(run, ours, result, "-")}`);
        });
      } finally {
        await peer?.close();
      }
      if (peer) run.emptyProgramNoopUpMs = await emptyProgramNoopUpMs();
      run.finishedAt = new Date().toISOString();
      run.loadAverage = Math.round(os.loadavg()[0] * 10) / 10;
      failures += run.scenarios.filter((s) => !s.ok).length;
      runs.push(run);
      if (options.out) writeResults(path.resolve(repoRoot, options.out), runs); // after each N: a long run keeps what it measured
    }
  }
  if (parsed.out)
    console.log(`\nbench: results in ${path.join(parsed.out, "results.md")} and results.json (logs of each operation in .bench/logs)`);
  if (failures > 0) console.error(`bench: ${failures} operation(s) failed`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
