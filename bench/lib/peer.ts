/**
 * `npm run bench -- --peer alchemy`: the same workload deployed with Alchemy (bench/peer-alchemy, its
 * own folder and install, pinned there, never a dependency of this package), against an emulator of
 * its own with the same latency and rate limit, each scenario run right after ours so both tools see
 * the machine in the same state. Alchemy has no preview and no refresh: those rows have no peer.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import type { BenchOptions } from "./args";
import { wireStats, type WireStats } from "./metrics";
import type { Scenario } from "./scenarios";
import { benchRoot, setSharedVersion, type BenchProject } from "./workspace";
import { startBenchEmulator } from "./run";
import { nodeCompileCacheDir, repoRoot } from "../../toolchain/engine-env";

export interface PeerResult {
  id: string;
  ok: boolean;
  error?: string;
  wallMs: number;
  wire: WireStats;
}

export interface PeerRun {
  tool: string;
  version: string;
  scenarios: PeerResult[];
}

const peerSource = path.join(repoRoot, "bench", "peer-alchemy");
const peerModules = path.join(peerSource, "node_modules");

/** Installs the pinned Alchemy into bench/peer-alchemy/node_modules (once) and says which version it is. */
export function installAlchemy(): string {
  if (!fs.existsSync(path.join(peerModules, "alchemy", "package.json"))) {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: peerSource, stdio: "inherit" });
  }
  return (JSON.parse(fs.readFileSync(path.join(peerModules, "alchemy", "package.json"), "utf8")) as { version: string }).version;
}

/** Alchemy's command for a scenario, or undefined when it has none (preview, refresh). */
function alchemyArgs(scenario: Scenario): string[] | undefined {
  if (scenario.operation === "up") return [];
  if (scenario.operation === "destroy") return ["--destroy"];
  return undefined;
}

export class AlchemyPeer {
  private constructor(
    private readonly emu: Emulator,
    private readonly project: BenchProject,
    private readonly tenants: number,
    private readonly logsDir: string,
  ) {}

  static async start(n: number, options: BenchOptions, logsDir: string): Promise<AlchemyPeer> {
    const emu = await startBenchEmulator(options);
    // Alchemy reads the account's workers.dev subdomain while deploying and fails without one; a real
    // account registers it once, so the emulator's account gets one before the first run.
    const response = await fetch(`${emu.url}/accounts/${emu.accountId}/workers/subdomain`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${emu.apiToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ subdomain: "bench" }),
    });
    if (!response.ok) throw new Error(`registering the workers.dev subdomain: HTTP ${response.status} ${await response.text()}`);
    emu.requests.clear();

    const dir = path.join(benchRoot, "workspace", "peer-alchemy", `n${n}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(path.join(repoRoot, "bench", "program", "src"), path.join(dir, "src"), { recursive: true });
    fs.copyFileSync(path.join(peerSource, "alchemy.run.ts"), path.join(dir, "alchemy.run.ts"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "wfp-bench-peer", private: true, type: "module" }, null, 2));
    fs.symlinkSync(peerModules, path.join(dir, "node_modules"));
    return new AlchemyPeer(emu, { dir, backendDir: path.join(dir, ".alchemy") }, n, logsDir);
  }

  /** Runs the scenario's counterpart (same config and edits as ours), or returns undefined if Alchemy has none. */
  async run(scenario: Scenario): Promise<PeerResult | undefined> {
    const args = alchemyArgs(scenario);
    if (!args) return undefined;
    if (scenario.edit) setSharedVersion(this.project, 2); // the only edit a scenario makes
    const codeVersion = scenario.config?.codeVersion;
    if (codeVersion !== undefined) this.codeVersion = codeVersion;
    this.emu.requests.clear();
    const log = fs.openSync(path.join(this.logsDir, `n${this.tenants}-${scenario.id}.alchemy.log`), "w");
    const startedAt = Date.now();
    const exit = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(path.join(peerModules, ".bin", "tsx"), ["alchemy.run.ts", ...args], {
        cwd: this.project.dir,
        stdio: ["ignore", log, log],
        env: {
          ...process.env,
          ...this.emu.env,
          // Alchemy's documented opt-out of telemetry (it would call its own service otherwise).
          ALCHEMY_TELEMETRY_DISABLED: "1",
          DO_NOT_TRACK: "1",
          ALCHEMY_PASSWORD: "bench",
          BENCH_TENANTS: String(this.tenants),
          BENCH_NAMESPACE: `bench-${this.tenants}`,
          BENCH_CODE_VERSION: this.codeVersion,
          // The same Node compile cache as our side's pulumi commands (toolchain/engine-env.ts).
          NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? nodeCompileCacheDir,
        },
      });
      child.on("error", reject);
      child.on("exit", resolve);
    });
    const wallMs = Date.now() - startedAt;
    fs.closeSync(log);
    return {
      id: scenario.id,
      ok: exit === 0,
      ...(exit === 0 ? {} : { error: `exit ${exit} (see .bench/logs/n${this.tenants}-${scenario.id}.alchemy.log)` }),
      wallMs,
      wire: wireStats(this.emu.requests.entries, this.emu.requests.peakConcurrency),
    };
  }

  private codeVersion = "0";

  close(): Promise<void> {
    return this.emu.close();
  }
}
