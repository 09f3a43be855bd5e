/**
 * Peak memory of the processes a `pulumi` command starts, sampled from /proc (Linux): the dynamic
 * provider (where bundling, request queues and Cloudflare clients live), the program (the node process
 * running index.ts) and the engine (the Go CLI and language host). Only descendants of this process are counted,
 * so other Pulumi runs on the machine do not leak into the numbers.
 */
import * as fs from "node:fs";

export type ProcessRole = "provider" | "program" | "engine";

/** What a command line says the process is; undefined = not one we track. */
export function roleOf(cmdline: string): ProcessRole | undefined {
  if (cmdline.includes("dynamic-provider") || cmdline.includes("pulumi-resource-pulumi-nodejs")) return "provider";
  if (cmdline.includes("@pulumi/pulumi/cmd/run")) return "program";
  // The CLI and the Go language host that starts the program: the engine's side.
  if (/(^|\/)pulumi\0/.test(cmdline) || cmdline.includes("pulumi-language-nodejs")) return "engine";
  return undefined;
}

interface ProcInfo {
  ppid: number;
  rssBytes: number;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const rssPages = Number(fields[21]);
    return { ppid, rssBytes: rssPages * 4096, cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8") };
  } catch {
    return undefined; // exited between listing and reading
  }
}

/** The peak RSS (bytes) per role of our descendant processes, sampled every `intervalMs`. */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private peaks: Record<ProcessRole, number> = { provider: 0, program: 0, engine: 0 };
  readonly supported = fs.existsSync("/proc/self/stat");

  constructor(private readonly intervalMs = 200) {}

  start(): void {
    this.peaks = { provider: 0, program: 0, engine: 0 };
    if (!this.supported) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling; peaks in MiB (null when /proc is not available). */
  stop(): Record<ProcessRole, number | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const mib = (bytes: number) => (this.supported ? Math.round((bytes / 1024 / 1024) * 10) / 10 : null);
    return { provider: mib(this.peaks.provider), program: mib(this.peaks.program), engine: mib(this.peaks.engine) };
  }

  private sample(): void {
    const procs = new Map<number, ProcInfo>();
    for (const name of fs.readdirSync("/proc")) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const info = readProc(pid);
      if (info) procs.set(pid, info);
    }
    const isOurs = (pid: number): boolean => {
      for (let p = procs.get(pid)?.ppid, hops = 0; p !== undefined && p > 1 && hops < 32; p = procs.get(p)?.ppid, hops++) {
        if (p === process.pid) return true;
      }
      return false;
    };
    // A role may span several processes at once (e.g. the shell wrapper and node): sum them.
    const now: Record<ProcessRole, number> = { provider: 0, program: 0, engine: 0 };
    for (const [pid, info] of procs) {
      const role = roleOf(info.cmdline);
      if (role && isOurs(pid)) now[role] += info.rssBytes;
    }
    for (const role of Object.keys(now) as ProcessRole[]) this.peaks[role] = Math.max(this.peaks[role], now[role]);
  }
}
