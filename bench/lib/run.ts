/**
 * One tenant count through every scenario: a fresh emulator (latency, rate limit), a fresh project and
 * backend, the real engine driven through the Automation API, and per scenario what it cost.
 */
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCUMENTED_PER_IP, startEmulator, type Emulator } from "../../emulator";
import type { FaultConfig } from "../../emulator/faults";
import type { BenchLatency, BenchOptions } from "./args";
import { floorMs, pacedFloorMs, wireStats, type WireStats } from "./metrics";
import { scenarios, type Operation, type Scenario } from "./scenarios";
import {
  benchRoot,
  bundleCacheDir,
  bundleRecords,
  bundlesBuilt,
  createProject,
  setSharedVersion,
  stateFile,
  workspaceRoot,
  type BenchProject,
} from "./workspace";
import { engineEnv, engineRoot } from "../../toolchain/engine-env";
import { ProcessSampler, type ProcessRole } from "./proc-sampler";
import { operationArgs, runPulumi } from "./pulumi-cli";

export interface ScenarioResult {
  id: string;
  title: string;
  tenants: number;
  ok: boolean;
  error?: string;
  wallMs: number;
  /** Resource operations the engine reported (create/update/same/delete...). */
  changes: Record<string, number>;
  wire: WireStats;
  requestsPerTenant: number;
  /** `ms`: the lower bound (metrics.ts floorMs); `pacedMs`: the same requests at the limit's average rate. */
  floor: { requests: number; writes: number; ms: number; pacedMs: number };
  /** wallMs / floor.ms (null when the floor is 0). */
  timeVsFloor: number | null;
  /** wallMs / floor.pacedMs (null when it is 0). */
  timeVsPaced: number | null;
  state: { bytes: number; tenantResources: number; bytesPerTenant: number; maxTenantBytes: number } | null;
  peakRssMiB: Record<ProcessRole, number | null>;
  bundlesBuilt: number;
}

export const logsDir = path.join(benchRoot, "logs");

/** The command a user runs (pulumi-cli.ts says why not the Automation API's operation). */
function runOperation(stack: Stack, operation: Operation, parallel: number, log: (text: string) => void): Promise<Record<string, number>> {
  return runPulumi(operationArgs(operation, stack.name, parallel), {
    cwd: stack.workspace.workDir,
    env: stack.workspace.envVars,
    onOutput: log,
  });
}

interface StateSummary {
  bytes: number;
  tenantResources: number;
  bytesPerTenant: number;
  maxTenantBytes: number;
}

/** The checkpoint's size, and what one tenant's resource weighs in it (the bundle must not be there). */
function stateSummary(project: BenchProject): StateSummary | null {
  const file = stateFile(project);
  if (!file || file.endsWith(".gz")) return null;
  const text = fs.readFileSync(file, "utf8");
  const resources = (JSON.parse(text).checkpoint?.latest?.resources ?? []) as Array<{ type: string }>;
  const tenantSizes = resources.filter((r) => r.type.endsWith(":NamespacedWorkerScript")).map((r) => JSON.stringify(r).length);
  const total = tenantSizes.reduce((a, b) => a + b, 0);
  return {
    bytes: Buffer.byteLength(text),
    tenantResources: tenantSizes.length,
    bytesPerTenant: tenantSizes.length ? Math.round(total / tenantSizes.length) : 0,
    maxTenantBytes: tenantSizes.length ? Math.max(...tenantSizes) : 0,
  };
}

async function openStack(project: BenchProject, emu: Emulator, options: BenchOptions): Promise<Stack> {
  const envVars = {
    ...engineEnv({
      backendDir: project.backendDir,
      pulumiHome: path.join(workspaceRoot, ".pulumi-home"),
      passphrase: "bench",
    }),
    ...emu.env,
    // The provider's limiter must agree with the server's, or it would either idle or be throttled.
    CLOUDFLARE_WFP_RATE_LIMIT: `${options.rateRequests}/${options.rateWindowSeconds}`,
    CLOUDFLARE_WFP_MAX_CONCURRENCY: String(options.providerConcurrency),
    CLOUDFLARE_WFP_BUNDLE_CACHE: bundleCacheDir,
    ...(options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
  };
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
  return LocalWorkspace.createOrSelectStack({ stackName: "bench", workDir: project.dir }, { pulumiCommand, envVars });
}

/** The emulator's `faults` for a model: the realistic one seeded, so runs repeat. */
export function emulatorLatency(latency: BenchLatency): FaultConfig {
  if (latency.model === "realistic") return { latency: { model: "realistic" }, seed: 1 };
  if (latency.maxMs !== undefined) return { latency: { minMs: latency.ms, maxMs: latency.maxMs } };
  return { latency: latency.ms > 0 ? { ms: latency.ms } : null };
}

/**
 * An emulator with the bench's settings: Cloudflare's documented limits (the block after exceeding lasts
 * as long as the window, five minutes each), the added latency, and with `--data` a fresh data directory.
 */
export function startBenchEmulator(options: BenchOptions): ReturnType<typeof startEmulator> {
  const windowMs = options.rateWindowSeconds * 1000;
  const dataRoot = path.join(benchRoot, "emulator-data");
  if (options.data) fs.mkdirSync(dataRoot, { recursive: true });
  return startEmulator({
    ...(options.data ? { dataDir: fs.mkdtempSync(path.join(dataRoot, "run-")) } : {}),
    rateLimit: {
      requests: options.rateRequests,
      windowMs,
      ...(options.block ? { blockMs: windowMs } : {}),
      ...(options.perIp ? { perIp: { ...DOCUMENTED_PER_IP } } : {}),
    },
    faults: emulatorLatency(options.latency),
  });
}

/** `afterScenario`: run after each of ours, before the next (the peer's turn: the tools alternate). */
export async function runTenantCount(
  n: number,
  options: BenchOptions,
  report: (result: ScenarioResult) => void,
  afterScenario?: (scenario: Scenario, ours: ScenarioResult) => Promise<void>,
): Promise<ScenarioResult[]> {
  const project = createProject(n);
  const emu = await startBenchEmulator(options);
  const sampler = new ProcessSampler();
  const results: ScenarioResult[] = [];
  // Start times of every request the server counted (not 429s): the window later scenarios inherit.
  const history: number[] = [];
  fs.mkdirSync(logsDir, { recursive: true });
  try {
    const stack = await openStack(project, emu, options);
    await stack.setAllConfig({
      tenants: { value: String(n) },
      namespace: { value: `bench-${n}` },
      ...(options.fleet ? { fleet: { value: "true" } } : {}),
    });
    for (const scenario of scenarios(setSharedVersion)) {
      const result = await runScenario(scenario, n, stack, project, emu, options, sampler, history);
      results.push(result);
      report(result);
      await afterScenario?.(scenario, result);
      if (!result.ok) break; // later scenarios assume this one's end state
    }
  } finally {
    sampler.stop();
    await emu.close();
  }
  return results;
}

async function runScenario(
  scenario: Scenario,
  n: number,
  stack: Stack,
  project: BenchProject,
  emu: Emulator,
  options: BenchOptions,
  sampler: ProcessSampler,
  history: number[],
): Promise<ScenarioResult> {
  if (scenario.config) await stack.setAllConfig(Object.fromEntries(Object.entries(scenario.config).map(([k, value]) => [k, { value }])));
  scenario.edit?.(project);
  const logFile = path.join(logsDir, `n${n}-${scenario.id}.log`);
  fs.writeFileSync(logFile, "");
  const log = (text: string) => fs.appendFileSync(logFile, text);

  emu.requests.clear();
  const recordsBefore = bundleRecords();
  sampler.start();
  const startedAt = Date.now();
  let changes: Record<string, number> = {};
  let error: string | undefined;
  try {
    changes = await runOperation(stack, scenario.operation, options.parallel, log);
  } catch (e) {
    error = e instanceof Error ? e.message.split("\n").slice(0, 20).join("\n") : String(e);
  }
  const wallMs = Date.now() - startedAt;
  const peakRssMiB = sampler.stop();
  const entries = emu.requests.entries;
  const wire = wireStats(entries, emu.requests.peakConcurrency);

  const engineParallel = options.parallel > 0 ? options.parallel : 4 * (await import("node:os")).cpus().length;
  const floorRequests = scenario.floorRequests(n);
  const floor = floorMs({
    requests: floorRequests,
    history,
    startedAt,
    windowRequests: options.rateRequests,
    windowMs: options.rateWindowSeconds * 1000,
    // One fleet resource's requests are not bounded by the engine's steps.
    concurrency: options.fleet ? options.providerConcurrency : Math.min(engineParallel, options.providerConcurrency),
    // The realistic model has no fixed time per request; its floor counts the rate limit and concurrency only.
    latencyMs: options.latency.model === "uniform" ? options.latency.ms : 0,
  });
  const paced = pacedFloorMs(floorRequests, options.rateRequests, options.rateWindowSeconds * 1000);
  for (const e of entries) if (e.status !== 429) history.push(e.startedAt);

  return {
    id: scenario.id,
    title: scenario.title,
    tenants: n,
    ok: error === undefined,
    ...(error ? { error } : {}),
    wallMs,
    changes,
    wire,
    requestsPerTenant: Math.round((wire.requests / n) * 100) / 100,
    floor: { requests: floorRequests, writes: scenario.floorWrites(n), ms: floor, pacedMs: paced },
    timeVsFloor: floor > 0 ? Math.round((wallMs / floor) * 10) / 10 : null,
    timeVsPaced: paced > 0 ? Math.round((wallMs / paced) * 100) / 100 : null,
    state: stateSummary(project),
    peakRssMiB,
    bundlesBuilt: bundlesBuilt(recordsBefore, bundleRecords()),
  };
}
