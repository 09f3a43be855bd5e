#!/usr/bin/env node
/**
 * `pulumi-cloudflare-wfp-emulator` — runs the Cloudflare API emulator as a standalone process.
 *
 *   pulumi-cloudflare-wfp-emulator --port 8787 --data ./.cf-emulator --token dev-token --account-id <32hex>
 *
 * Prints the base URL and the env lines to point the SDK (or the Pulumi provider) at it (with `--edge-port`
 * also `EDGE_URL=…`, the local edge running the uploaded Workers) and `EMULATOR_CONTROL_TOKEN=…` (the
 * bearer token of the control endpoints), and stops cleanly on SIGINT/SIGTERM. Beyond loopback
 * (`--host 0.0.0.0`) it starts only with `--allow-remote`, and then warns on stderr what is exposed.
 * `main(argv)` is exported so tests can run it in-process.
 */
import { exposureWarning, remoteInterfaces } from "./exposure";
import type { LatencySpec } from "./faults";
import { startEmulator, type Emulator, type EmulatorOptions } from "./index";

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export interface CliSession {
  emulator: Emulator;
  /** Closes the emulator and removes the signal handlers. */
  stop(): Promise<void>;
  /** Resolves once stopped (by `stop()` or a signal). */
  stopped: Promise<void>;
}

export const USAGE = `Usage: pulumi-cloudflare-wfp-emulator [options]

Options:
  --port <n>          TCP port to listen on (default 8787; 0 = any free port)
  --host <addr>       interface to bind (default 127.0.0.1); beyond loopback (e.g. 0.0.0.0) needs --allow-remote
  --allow-remote      allow --host beyond loopback: anyone who reaches the port can try the tokens (a warning
                      names what is exposed)
  --data <dir>        persist state in <dir>/state.journal (survives restarts; a state.json is migrated)
  --token <token>     API token to accept (default: generated, or reused from --data)
  --control-token <t> token of the control endpoints (default: the API token); printed as EMULATOR_CONTROL_TOKEN
  --account-id <hex>  default account id, 32 lowercase hex (default: generated, or reused from --data)
  --rate-limit <n>/<ms>  enforce a per-user rate limit, e.g. 1200/300000 (answers always carry
                      Ratelimit / Ratelimit-Policy; without it they describe Cloudflare's 1200/300 s)
  --latency <model>   add latency to every API request: realistic (by endpoint class: uploads take seconds,
                      reads a fraction of one; latency-model.ts), uniform:<ms> or uniform:<min>-<max>
  --latency-seed <n>  seed of the latency draws (default 1): the same seed and requests give the same times
  --edge-port <n>     also run the uploaded Workers (workerd, needs miniflare) behind a local edge on port <n>
                      (0 = any free port), routed by Host: curl -H 'Host: a.example.com' $EDGE_URL/
  -h, --help          show this help

Control endpoints (Authorization: Bearer <control token>): GET|DELETE /__emulator/requests,
GET|POST|DELETE /__emulator/faults, GET|PUT|DELETE /__emulator/rate-limit, GET /__emulator/state,
POST /__emulator/reset; GET /__emulator/health needs none.`;

export class CliUsageError extends Error {}

function portArg(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliUsageError(`${flag} must be 0..65535, got "${v}"`);
  return Number(v);
}

/** `realistic`, `uniform:<ms>` or `uniform:<min>-<max>` (faults.ts `LatencySpec`). */
function latencyArg(v: string): LatencySpec {
  if (v === "realistic") return { model: "realistic" };
  const m = /^uniform:(\d+)(?:-(\d+))?$/.exec(v);
  if (!m) throw new CliUsageError(`--latency must be realistic, uniform:<ms> or uniform:<min>-<max>, got "${v}"`);
  if (m[2] === undefined) return { ms: Number(m[1]) };
  if (Number(m[2]) < Number(m[1])) throw new CliUsageError(`--latency uniform:<min>-<max> needs min <= max, got "${v}"`);
  return { minMs: Number(m[1]), maxMs: Number(m[2]) };
}

/** Parses command-line arguments (`--flag value` or `--flag=value`). */
export function parseArgs(argv: string[]): EmulatorOptions & { help?: boolean } {
  const opts: EmulatorOptions & { help?: boolean } = { port: 8787 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      opts.help = true;
      continue;
    }
    if (arg === "--allow-remote") {
      opts.allowRemote = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--port":
        opts.port = portArg(flag, value());
        break;
      case "--edge-port":
        opts.edge = { port: portArg(flag, value()) };
        break;
      case "--host":
        opts.host = value();
        break;
      case "--data":
        opts.dataDir = value();
        break;
      case "--token":
        opts.apiToken = value();
        break;
      case "--control-token":
        opts.controlToken = value();
        break;
      case "--account-id": {
        const v = value();
        if (!/^[0-9a-f]{32}$/.test(v)) throw new CliUsageError(`--account-id must be 32 lowercase hex characters, got "${v}"`);
        opts.accountId = v;
        break;
      }
      case "--rate-limit": {
        const v = value();
        const m = /^(\d+)\/(\d+)$/.exec(v);
        if (!m) throw new CliUsageError(`--rate-limit must look like <requests>/<windowMs>, got "${v}"`);
        opts.rateLimit = { requests: Number(m[1]), windowMs: Number(m[2]) };
        break;
      }
      case "--latency":
        opts.faults = { ...opts.faults, latency: latencyArg(value()) };
        break;
      case "--latency-seed": {
        const v = value();
        if (!/^\d+$/.test(v)) throw new CliUsageError(`--latency-seed must be a non-negative integer, got "${v}"`);
        opts.faults = { ...opts.faults, seed: Number(v) };
        break;
      }
      default:
        throw new CliUsageError(`unknown option ${arg}`);
    }
  }
  return opts;
}

const defaultIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the command. Returns the running session, or undefined after printing help or an error
 * (then `process.exitCode` is set: 0 for help, 2 for a usage error, 1 for a start failure).
 */
export async function main(
  argv: string[],
  io: CliIO = defaultIO,
  options: { handleSignals?: boolean } = {},
): Promise<CliSession | undefined> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    io.err(`error: ${err.message}`);
    io.err(USAGE);
    process.exitCode = 2;
    return undefined;
  }
  if (opts.help) {
    io.out(USAGE);
    return undefined;
  }
  const { help: _help, ...emulatorOptions } = opts;
  let emulator: Emulator;
  try {
    emulator = await startEmulator(emulatorOptions);
  } catch (err) {
    io.err(`error: cannot start the emulator: ${(err as Error).message}`);
    process.exitCode = 1;
    return undefined;
  }

  io.out(`Cloudflare API emulator listening on ${emulator.url}`);
  if (opts.dataDir) io.out(`state: ${opts.dataDir}`);
  for (const [k, v] of Object.entries(emulator.env)) io.out(`${k}=${v}`);
  if (emulator.edge) io.out(`EDGE_URL=${emulator.edge.url}`);
  io.out(`EMULATOR_CONTROL_TOKEN=${emulator.controlToken}`);
  const host = opts.host ?? "127.0.0.1";
  if (remoteInterfaces(host, emulator.edge ? host : undefined).length > 0) {
    for (const line of exposureWarning({ host, apiUrl: emulator.url, edgeUrl: emulator.edge?.url })) io.err(line);
  }

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    io.out(`received ${signal}, stopping`);
    void stop();
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await emulator.close();
      resolveStopped();
    })();
    return stopping;
  };
  if (options.handleSignals ?? true) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  return { emulator, stop, stopped };
}

if (require.main === module) {
  void main(process.argv.slice(2));
}
