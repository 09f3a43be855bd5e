/**
 * bench/results.json (every run, merged across invocations so N = 10/100 at the real limit and a
 * 1000-tenant run with a shorter window can live side by side) and bench/results.md rendered from it.
 * `npm run bench` writes `runs`, `npm run bench:fleet` writes `fleetRuns`; each keeps the other's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchOptions } from "./args";
import type { PeerResult, PeerRun } from "./peer";
import type { ScenarioResult } from "./run";
import type { StateBytes } from "./state-bytes";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export interface RunSettings {
  /** The uniform latency (ms); 0 with the realistic model. */
  latencyMs: number;
  /** Set when latency was uniform between latencyMs and this. */
  latencyMaxMs?: number;
  /** Latency by endpoint class (emulator/latency-model.ts) instead of a uniform one. */
  latencyModel?: "realistic";
  rateLimit: string;
  /** False when the window was scaled down from Cloudflare's 1200 per 300 s. */
  realRateLimit: boolean;
  /** Cloudflare's block after the limit is exceeded, and its per-IP limit, were on. */
  block?: boolean;
  perIp?: boolean;
  parallel: number | "engine default";
  providerConcurrency: number;
  /** The provider adapted its in-flight requests under providerConcurrency (absent: a fixed cap, before it did). */
  adaptiveConcurrency?: boolean;
  skipCheckpoints: boolean;
  /** Our tenants declared as one TenantFleet (absent: a NamespacedWorkerScript each). */
  fleet?: boolean;
  /** The emulator persisted its state in a data directory (absent: memory only). */
  data?: boolean;
}

export interface BenchRun {
  tenants: number;
  settings: RunSettings;
  machine: Machine;
  finishedAt: string;
  scenarios: ScenarioResult[];
  /** The same scenarios run with another tool (`--peer`), alternating with ours. */
  peer?: PeerRun;
  /** The machine's 1-minute load average when the run finished: above its CPU count, other work shared it. */
  loadAverage?: number;
  /** With a peer: the median no-op `pulumi up` of a program with no resources (pulumi-floor.ts). */
  emptyProgramNoopUpMs?: number;
  /** The command that made the run, as typed. */
  command?: string;
}

/** One scenario of `npm run bench:fleet`. */
export interface FleetRow {
  scenario: string;
  wallMs: number;
  requests: number;
  writes: number;
  /** Answers that made the provider retry: 429, and 5xx. */
  refused429: number;
  failed5xx: number;
  /** From the first request's start to the last one's end: the part of the wall time spent sending. */
  requestSpanMs?: number;
  /** The least time the requests take under the window and the 200/s per IP, starting with both empty. */
  pacedFloorMs?: number;
  /** Some of the fleet's progress lines the command printed (first, one per five minutes, last), seconds after it started. */
  progress?: Array<{ atS: number; line: string }>;
}

/** A run of `npm run bench:fleet`: one TenantFleet of N tenants through its scenarios. */
export interface FleetRun {
  tenants: number;
  /** Requests per window, on the emulator and in the provider, e.g. "1200/3s". */
  rateLimit: string;
  realRateLimit: boolean;
  /** Cloudflare's 200 requests per second per IP was on (runs before it: absent, off). */
  perIp?: boolean;
  /** The latency the emulator added, e.g. "150-1500 ms" (absent: none). */
  latency?: string;
  /** The command that made the run, as typed (runs before it: absent). */
  command?: string;
  /** Only the first `up` was measured (`--first-up-only`): kept beside a full run of the same N and limits, not in its place. */
  firstUpOnly?: true;
  machine: Machine;
  finishedAt: string;
  loadAverage: number;
  rows: FleetRow[];
  /** The fleet resource's bytes in the exported state, divided by N. */
  stateBytesPerTenant: number;
  /** From `pulumi stack export`, per tenant: the plain tenants' fleet and the helper-written tenants' (runs before it: absent). */
  stateBytes?: { plain: StateBytes; helpers: StateBytes };
}

export interface BenchResults {
  runs: BenchRun[];
  fleetRuns?: FleetRun[];
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function runSettings(options: BenchOptions, realRateLimit: boolean): RunSettings {
  return {
    latencyMs: options.latency.model === "uniform" ? options.latency.ms : 0,
    ...(options.latency.model === "uniform" && options.latency.maxMs !== undefined ? { latencyMaxMs: options.latency.maxMs } : {}),
    ...(options.latency.model === "realistic" ? { latencyModel: "realistic" as const } : {}),
    rateLimit: `${options.rateRequests}/${options.rateWindowSeconds}s`,
    realRateLimit,
    block: options.block,
    perIp: options.perIp,
    parallel: options.parallel > 0 ? options.parallel : "engine default",
    providerConcurrency: options.providerConcurrency,
    adaptiveConcurrency: true,
    skipCheckpoints: options.skipCheckpoints,
    ...(options.fleet ? { fleet: true } : {}),
    ...(options.data ? { data: true } : {}),
  };
}

const sameSettings = (a: BenchRun, b: BenchRun) => a.tenants === b.tenants && JSON.stringify(a.settings) === JSON.stringify(b.settings);

function readResults(outDir: string): BenchResults {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, "results.json"), "utf8")) as BenchResults;
  } catch {
    return { runs: [] }; // first run, or an unreadable file: start over
  }
}

function saveResults(outDir: string, results: BenchResults): { json: string; md: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, "results.json");
  fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  const md = path.join(outDir, "results.md");
  fs.writeFileSync(md, renderMarkdown(results.runs) + renderFleet(results.fleetRuns ?? []) + keptSection(md));
  return { json, md };
}

/** Marks where results.md holds measurements written by hand (from other scripts): kept when it is rewritten. */
export const KEPT_MARKER = "<!-- measured by other scripts: kept as is when results.md is rewritten -->";

function keptSection(md: string): string {
  const text = fs.existsSync(md) ? fs.readFileSync(md, "utf8") : "";
  const at = text.indexOf(KEPT_MARKER);
  return at < 0 ? "" : `\n${text.slice(at)}`;
}

/** Adds (or replaces: same N and settings) runs in results.json and rewrites results.md. */
export function writeResults(outDir: string, runs: BenchRun[]): { json: string; md: string } {
  const previous = readResults(outDir);
  const merged = [...previous.runs.filter((old) => !runs.some((run) => sameSettings(old, run))), ...runs];
  merged.sort((a, b) => a.tenants - b.tenants || a.settings.rateLimit.localeCompare(b.settings.rateLimit));
  return saveResults(outDir, { ...previous, runs: merged });
}

/** Adds (or replaces: same N and rate limit) a bench:fleet run in results.json and rewrites results.md. */
export function writeFleetResults(outDir: string, run: FleetRun): { json: string; md: string } {
  const previous = readResults(outDir);
  const fleetRuns = [
    ...(previous.fleetRuns ?? []).filter(
      (old) =>
        !(
          old.tenants === run.tenants &&
          old.rateLimit === run.rateLimit &&
          old.latency === run.latency &&
          (old.firstUpOnly ?? false) === (run.firstUpOnly ?? false)
        ),
    ),
    run,
  ];
  fleetRuns.sort((a, b) => a.tenants - b.tenants || a.rateLimit.localeCompare(b.rateLimit));
  return saveResults(outDir, { ...previous, fleetRuns });
}

/** bench:fleet's runs: a column per run, a row per scenario. */
function renderFleet(runs: FleetRun[]): string {
  if (runs.length === 0) return "";
  const limit = (run: FleetRun) =>
    run.realRateLimit ? `${run.rateLimit} (Cloudflare's)` : `${run.rateLimit} (**scaled down** from 1200/300s)`;
  const lines = [
    "",
    "## TenantFleet (`npm run bench:fleet`)",
    "",
    "One `DispatchNamespace` and one `TenantFleet` of N tenants sharing inline code (bench/fleet-program; the helper-written fleet's scenarios: bench/fleet-helpers-program), each scenario the `pulumi`",
    "command a user runs (bench/lib/pulumi-cli.ts), against the emulator (latency as each run says). Each cell: wall seconds, then",
    "requests / writes / 429s / 5xx.",
    "",
    "State per tenant, from `pulumi stack export`: the whole deployment, and the fleet resource alone, divided by N; plain tenants",
    "(a string binding and a tag each) and tenants written with the helpers (bench/fleet-helpers-program: a string, `json(...)`,",
    "`secret(...)` and a KVNamespace binding each).",
    "",
    ...runs.map(
      (run) =>
        `- N = ${run.tenants}: rate limit ${limit(run)}${run.perIp ? ", 200/s per IP" : ""}; latency ${run.latency ?? "none added"}; load average ${run.loadAverage.toFixed(1)} at the end (${run.machine.cpus} CPUs); ${stateLine(run)}; ${run.finishedAt}${run.command ? `; \`${run.command}\`` : ""}`,
    ),
    "",
    `| scenario | ${runs.map((run) => `N = ${run.tenants}${run.latency ? `, ${run.latency}` : ""}`).join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
  ];
  // In the order of the run with the most scenarios: one added later reads beside its kin, not at the bottom.
  const ordered = [...runs].sort((a, b) => b.rows.length - a.rows.length);
  for (const scenario of [...new Set(ordered.flatMap((run) => run.rows.map((r) => r.scenario)))]) {
    const cells = runs.map((run) => {
      const r = run.rows.find((row) => row.scenario === scenario);
      if (!r) return "-";
      // Where the requests are many, how long they took against the rate limits' floor tells pacing from engine time.
      const paced =
        r.requestSpanMs !== undefined && r.pacedFloorMs !== undefined && r.requests >= 1000
          ? `; sent in ${seconds(r.requestSpanMs)} s, floor ${seconds(r.pacedFloorMs)} s`
          : "";
      return `${seconds(r.wallMs)} s (${r.requests} / ${r.writes} / ${r.refused429} / ${r.failed5xx}${paced})`;
    });
    lines.push(`| ${scenario} | ${cells.join(" | ")} |`);
  }
  // At Cloudflare's own window a step takes many minutes: what the user watched is part of the result.
  for (const run of runs.filter((r) => r.realRateLimit)) {
    for (const row of run.rows.filter((r) => r.progress !== undefined)) {
      lines.push(
        "",
        `Progress lines of N = ${run.tenants}, ${row.scenario} (seconds after the command started; the first, one per five minutes, the last):`,
        "",
      );
      lines.push("```", ...row.progress!.map((p) => `${String(p.atS).padStart(5)} s  ${p.line}`), "```");
    }
  }
  return `${lines.join("\n")}\n`;
}

function stateLine(run: FleetRun): string {
  if (!run.stateBytes) return `state ${run.stateBytesPerTenant} bytes per tenant (the fleet resource)`;
  const { plain, helpers } = run.stateBytes;
  return `state per tenant, deployment / fleet resource: plain tenants ${plain.deploymentPerTenant} / ${plain.fleetPerTenant} B, helper-written tenants ${helpers.deploymentPerTenant} / ${helpers.fleetPerTenant} B`;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** A run's latency model as the output names it. */
export function latencyText(s: RunSettings): string {
  if (s.latencyModel === "realistic") return "realistic (by endpoint class, seed 1)";
  return s.latencyMaxMs !== undefined ? `uniform ${s.latencyMs}-${s.latencyMaxMs} ms` : `${s.latencyMs} ms`;
}

function settingsLabel(s: RunSettings): string {
  const limit = s.realRateLimit ? `${s.rateLimit} (Cloudflare's)` : `${s.rateLimit} (**scaled down** from 1200/300s)`;
  const documented = [s.block ? "block after exceeding" : "", s.perIp ? "200/s per IP" : ""].filter(Boolean).join(", ");
  return `latency ${latencyText(s)}, rate limit ${limit}${documented ? ` (${documented})` : ""}, --parallel ${s.parallel}, provider concurrency ${s.adaptiveConcurrency ? `adaptive, ceiling ${s.providerConcurrency}` : s.providerConcurrency}${s.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS=true" : ""}${s.fleet ? ", **tenants as one TenantFleet**" : ""}${s.data ? ", emulator with --data" : ""}`;
}

export const TABLE_HEADER =
  "| N | settings | ok | wall s | floor s | wall/floor | paced s | wall/paced | requests | floor req | writes | floor writes | req/tenant | 429 | 5xx | peak conc | bundles built | state KiB | B/tenant | provider RSS MiB | program RSS MiB | engine RSS MiB |";

export function tableRow(r: ScenarioResult, settingsRef: string): string {
  const rss = (v: number | null) => (v === null ? "n/a" : v.toFixed(0));
  return `| ${r.tenants} | ${settingsRef} | ${r.ok ? "yes" : "**FAILED**"} | ${seconds(r.wallMs)} | ${seconds(r.floor.ms)} | ${r.timeVsFloor ?? "-"} | ${r.floor.pacedMs === undefined ? "-" : seconds(r.floor.pacedMs)} | ${r.timeVsPaced ?? "-"} | ${r.wire.requests} | ${r.floor.requests} | ${r.wire.writes} | ${r.floor.writes} | ${r.requestsPerTenant} | ${r.wire.retried["429"]} | ${r.wire.retried["5xx"]} | ${r.wire.peakConcurrency} | ${r.bundlesBuilt} | ${r.state ? kib(r.state.bytes) : "-"} | ${r.state?.bytesPerTenant ?? "-"} | ${rss(r.peakRssMiB.provider)} | ${rss(r.peakRssMiB.program)} | ${rss(r.peakRssMiB.engine)} |`;
}

/** How busy the machine was: wall times on a shared machine are longer than on a quiet one. */
function loadNote(runs: BenchRun[]): string[] {
  const loaded = runs.filter((run) => run.loadAverage !== undefined);
  if (loaded.length === 0) return [];
  const shared = loaded.some((run) => run.loadAverage! > run.machine.cpus);
  return [
    `Load average (1 min) when each run finished: ${loaded.map((run) => `N=${run.tenants} ${run.loadAverage!.toFixed(1)}`).join(", ")}` +
      (shared
        ? ` — above the ${loaded[0].machine.cpus} CPUs: the machine was shared with other work, so wall times are longer than on a quiet machine and the ratios are what to read.`
        : "."),
    "",
  ];
}

function commandNote(runs: BenchRun[], ref: (run: BenchRun) => string): string[] {
  const typed = runs.filter((run) => run.command !== undefined);
  if (typed.length === 0) return [];
  return ["Commands:", "", ...typed.map((run) => `- N=${run.tenants} (${ref(run)}): \`${run.command}\``), ""];
}

function renderMarkdown(runs: BenchRun[]): string {
  const settings = [...new Set(runs.map((r) => JSON.stringify(r.settings)))].map((s) => JSON.parse(s) as RunSettings);
  const ref = (run: BenchRun) => `S${settings.findIndex((s) => JSON.stringify(s) === JSON.stringify(run.settings)) + 1}`;
  const machines = [...new Set(runs.map((r) => JSON.stringify(r.machine)))].map((m) => JSON.parse(m) as Machine);
  const lines: string[] = [
    "# Benchmark results",
    "",
    "Generated by `npm run bench` (bench/bench.ts): the real Pulumi engine against the emulator, one dispatch namespace,",
    "N tenants bundled from one shared entrypoint, and a dispatcher bound to the namespace. See bench/README.md for",
    "what each column means and how the floors are computed.",
    "",
    "Machine: " +
      machines.map((m) => `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.platform}`).join("; "),
    "",
    "Settings:",
    "",
    ...settings.map((s, i) => `- S${i + 1}: ${settingsLabel(s)}`),
    "",
    ...loadNote(runs),
    ...commandNote(runs, ref),
  ];
  const ids = [...new Set(runs.flatMap((run) => run.scenarios.map((s) => s.id)))];
  for (const id of ids) {
    const title = runs.flatMap((run) => run.scenarios).find((s) => s.id === id)!.title;
    lines.push(`## ${title}`, "", TABLE_HEADER, TABLE_HEADER.replace(/[^|]+/g, "---"));
    for (const run of runs) {
      const r = run.scenarios.find((s) => s.id === id);
      if (r) lines.push(tableRow(r, ref(run)));
    }
    lines.push("", "Requests by endpoint:", "");
    for (const run of runs) {
      const r = run.scenarios.find((s) => s.id === id);
      if (!r) continue;
      const endpoints =
        Object.entries(r.wire.byEndpoint)
          .map(([k, v]) => `\`${k}\` ${v}`)
          .join(", ") || "none";
      lines.push(`- N=${r.tenants} (${ref(run)}): ${endpoints}${r.error ? ` — error: ${r.error.split("\n")[0]}` : ""}`);
    }
    lines.push("");
  }
  lines.push(...renderPeer(runs, ref));
  return `${lines.join("\n")}\n`;
}

export const PEER_HEADER =
  "| N | settings | scenario | ours s | peer s | ours/peer | ours req | peer req | ours writes | peer writes | peer 429 | peer peak conc | peer ok |";

export function peerRow(run: BenchRun, ours: ScenarioResult, peer: PeerResult, settingsRef: string): string {
  const ratio = peer.wallMs > 0 ? (ours.wallMs / peer.wallMs).toFixed(2) : "-";
  return `| ${run.tenants} | ${settingsRef} | ${ours.title} | ${seconds(ours.wallMs)} | ${seconds(peer.wallMs)} | ${ratio} | ${ours.wire.requests} | ${peer.wire.requests} | ${ours.wire.writes} | ${peer.wire.writes} | ${peer.wire.retried["429"]} | ${peer.wire.peakConcurrency} | ${peer.ok ? "yes" : `**FAILED** (${peer.error})`} |`;
}

/** Each scenario next to the peer's run of it (`--peer`): wall time, traffic and the ratio. */
function renderPeer(runs: BenchRun[], ref: (run: BenchRun) => string): string[] {
  const withPeer = runs.filter((run) => run.peer);
  if (withPeer.length === 0) return [];
  const tools = [...new Set(withPeer.map((run) => `${run.peer!.tool} ${run.peer!.version}`))].join(", ");
  const lines = [
    `## vs ${tools} (\`--peer\`)`,
    "",
    "Same workload, same emulator settings, the tools alternating scenario by scenario (it has no preview or refresh).",
    "",
    PEER_HEADER,
    PEER_HEADER.replace(/[^|]+/g, "---"),
  ];
  for (const run of withPeer) {
    for (const peer of run.peer!.scenarios) {
      const ours = run.scenarios.find((s) => s.id === peer.id);
      if (ours) lines.push(peerRow(run, ours, peer, ref(run)));
    }
  }
  const floors = withPeer.filter((run) => run.emptyProgramNoopUpMs !== undefined);
  if (floors.length > 0) {
    lines.push(
      "",
      "What any Pulumi command costs here before a resource: the median no-op `pulumi up --skip-preview` of a TypeScript program with no resources (bench/empty-program) was " +
        floors.map((run) => `${seconds(run.emptyProgramNoopUpMs!)} s (N = ${run.tenants} run)`).join(", ") +
        ". Ours is that plus the dynamic provider's process; the peer is one Node process.",
    );
  }
  lines.push("");
  return lines;
}
