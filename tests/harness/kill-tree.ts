/** Ends a command the way a crash or a power cut would: SIGKILL to it and to every process below it. */
import * as fs from "node:fs";

/**
 * The engine starts each plugin (the dynamic provider among them) in a process group of its own, so
 * a signal to the CLI's group leaves the provider running and uploading; walk the tree instead.
 */
export function killProcessTree(root: number): void {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, ...
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  const tree: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue = queue.concat(children.get(pid) ?? []);
  }
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
