/**
 * Command line of `npm run bench`. Every option has a default, so `npm run bench` alone measures
 * N = 10 and 100 at Cloudflare's real limit; shorter windows exist to keep a 1000-tenant run short.
 */
import { DEFAULT_MAX_CONCURRENCY } from "../../provider/cloudflare/request-policy";

/**
 * The emulator's latency model: by endpoint class (emulator/latency-model.ts), or the same for every
 * request (`ms`, or drawn uniformly from `ms`..`maxMs`, seeded).
 */
export type BenchLatency = { model: "realistic" } | { model: "uniform"; ms: number; maxMs?: number };

export interface BenchOptions {
  tenants: number[];
  /** The latency models to run, each through every tenant count. */
  latencies: BenchLatency[];
  /** The model of the run at hand (the first of `latencies` until bench.ts picks one). */
  latency: BenchLatency;
  /** Requests allowed per window, on the emulator and in the provider's own limiter alike. */
  rateRequests: number;
  rateWindowSeconds: number;
  /** Cloudflare's block after the limit is exceeded (for as long as the window: five minutes at the real limit). */
  block: boolean;
  /** Cloudflare's 200 requests per second per IP. */
  perIp: boolean;
  /** `pulumi --parallel`; 0 = the engine's default (4 × CPUs). */
  parallel: number;
  /** The provider's concurrency cap (CLOUDFLARE_WFP_MAX_CONCURRENCY). */
  providerConcurrency: number;
  /**
   * PULUMI_SKIP_CHECKPOINTS: the engine saves state once at the end instead of after every step (with
   * the file backend each save rewrites the whole checkpoint, so N steps cost O(N²) bytes).
   */
  skipCheckpoints: boolean;
  /** Where results.md / results.json go; "" = do not write. */
  out: string;
  /** Another tool run on the same workload, scenario by scenario, alternating with ours. */
  peer?: "alchemy";
  /** Our tenants as one TenantFleet instead of a NamespacedWorkerScript each. */
  fleet?: boolean;
  /** The emulator keeps its state in a data directory (its journal, as `--data` does) instead of memory only. */
  data?: boolean;
}

const USAGE = `usage: npm run bench -- [--tenants 10,100,1000] [--latency realistic,uniform:50,uniform:150-1500 | --latency-ms 50 | 150-1500] [--rate-limit 1200/300] [--no-block] [--no-per-ip]
                        [--parallel 16] [--provider-concurrency 200] [--skip-checkpoints]
                        [--out bench] [--no-write] [--peer alchemy] [--fleet] [--data]`;

function positiveInt(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new Error(`${flag} needs a ${allowZero ? "non-negative" : "positive"} integer, got ${value}\n${USAGE}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  let latencies: BenchLatency[] | undefined;
  const options: BenchOptions = {
    tenants: [10, 100],
    latencies: [],
    latency: UNIFORM_50,
    rateRequests: 1200,
    rateWindowSeconds: 300,
    block: true,
    perIp: true,
    parallel: 16,
    providerConcurrency: DEFAULT_MAX_CONCURRENCY,
    skipCheckpoints: false,
    out: "bench",
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case "--tenants":
        options.tenants = (value ?? "").split(",").map((n) => positiveInt(flag, n.trim()));
        i++;
        break;
      case "--latency-ms":
        latencies = [parseLatency(value)];
        i++;
        break;
      case "--latency":
        latencies = (value ?? "").split(",").map((v) => latencyArg(v.trim()));
        i++;
        break;
      case "--rate-limit": {
        const match = value?.match(/^(\d+)\/(\d+(?:\.\d+)?)$/);
        if (!match) throw new Error(`--rate-limit takes <requests>/<seconds>, e.g. 1200/300\n${USAGE}`);
        options.rateRequests = Number(match[1]);
        options.rateWindowSeconds = Number(match[2]);
        i++;
        break;
      }
      case "--no-block":
        options.block = false;
        break;
      case "--no-per-ip":
        options.perIp = false;
        break;
      case "--parallel":
        options.parallel = positiveInt(flag, value, true);
        i++;
        break;
      case "--provider-concurrency":
        options.providerConcurrency = positiveInt(flag, value);
        i++;
        break;
      case "--skip-checkpoints":
        options.skipCheckpoints = true;
        break;
      case "--out":
        options.out = value ?? "";
        i++;
        break;
      case "--peer":
        if (value !== "alchemy") throw new Error(`--peer takes alchemy, got ${value}\n${USAGE}`);
        options.peer = value;
        i++;
        break;
      case "--fleet":
        options.fleet = true;
        break;
      case "--data":
        options.data = true;
        break;
      case "--no-write":
        options.out = "";
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        return process.exit(0);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  // Against a peer both models by default: the realistic one, and the uniform 50 ms of earlier runs.
  options.latencies = latencies ?? (options.peer ? [{ model: "realistic" }, UNIFORM_50] : [UNIFORM_50]);
  options.latency = options.latencies[0];
  return options;
}

const UNIFORM_50: BenchLatency = { model: "uniform", ms: 50 };

function latencyArg(v: string): BenchLatency {
  if (v === "realistic") return { model: "realistic" };
  if (!v.startsWith("uniform:"))
    throw new Error(`--latency takes realistic and/or uniform:<ms> or uniform:<least>-<most>, comma-separated, got ${v}\n${USAGE}`);
  return parseLatency(v.slice("uniform:".length));
}

/** `50`, or `150-1500`: uniform between the two, closer to Cloudflare's answers than a constant. */
export function parseLatency(value: string | undefined): Extract<BenchLatency, { model: "uniform" }> {
  const [min, max] = (value ?? "").split("-");
  const latency = {
    model: "uniform" as const,
    ms: positiveInt("--latency-ms", min, true),
    ...(max !== undefined ? { maxMs: positiveInt("--latency-ms", max, true) } : {}),
  };
  if ((latency.maxMs ?? latency.ms) < latency.ms) throw new Error(`a latency range is <least>-<most>, got ${value}\n${USAGE}`);
  return latency;
}

/** Cloudflare's own limit; anything else is a scaled-down window, which the output must say. */
export function isRealRateLimit(options: BenchOptions): boolean {
  return options.rateRequests === 1200 && options.rateWindowSeconds === 300;
}
