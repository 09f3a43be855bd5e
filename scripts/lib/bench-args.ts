/**
 * Command line of `npm run bench`. Every option has a default, so `npm run bench` alone measures
 * N = 10 and 100 at Cloudflare's real limit; shorter windows exist to keep a 1000-tenant run short.
 */
export interface BenchOptions {
  tenants: number[];
  /** Latency the emulator adds to every API request, ms. */
  latencyMs: number;
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
}

const USAGE = `usage: npm run bench -- [--tenants 10,100,1000] [--latency-ms 50] [--rate-limit 1200/300] [--no-block] [--no-per-ip]
                        [--parallel 16] [--provider-concurrency 16] [--skip-checkpoints]
                        [--out bench] [--no-write] [--peer alchemy] [--fleet]`;

function positiveInt(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${flag} needs a ${allowZero ? "non-negative" : "positive"} integer, got ${value}\n${USAGE}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { tenants: [10, 100], latencyMs: 50, rateRequests: 1200, rateWindowSeconds: 300, block: true, perIp: true, parallel: 16, providerConcurrency: 16, skipCheckpoints: false, out: "bench" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case "--tenants":
        options.tenants = (value ?? "").split(",").map((n) => positiveInt(flag, n.trim()));
        i++;
        break;
      case "--latency-ms":
        options.latencyMs = positiveInt(flag, value, true);
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
  return options;
}

/** Cloudflare's own limit; anything else is a scaled-down window, which the output must say. */
export function isRealRateLimit(options: BenchOptions): boolean {
  return options.rateRequests === 1200 && options.rateWindowSeconds === 300;
}
