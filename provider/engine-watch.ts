/**
 * Noticing that the Pulumi engine that started this provider process is gone.
 *
 * The engine starts a dynamic provider as a plugin in a process group of its own, so a `pulumi up`
 * killed with its process group (a cancelled CI job, a closed terminal) does not take the provider
 * with it, and nothing tells it: it would go on uploading for as long as its queue lasts (at
 * Cloudflare's rate limit, many minutes), racing the commands the user runs to recover, then linger.
 *
 * What the host lets us observe reliably is the process tree. The plugin is `node` run by a small
 * shell script (`pulumi-resource-pulumi-nodejs`) that the engine starts, so the engine is the
 * parent, or the parent's parent. When the engine dies its children are re-parented (to init or a
 * subreaper): the chain of parent ids this process sees changes. On Linux the chain is read from
 * /proc; elsewhere only the direct parent is compared.
 */
import * as fs from "node:fs";

/** The parent id of `pid` from /proc/<pid>/stat (the field after the parenthesised command name), or undefined. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** This process's parent and, where readable, its parent's parent. */
export function ancestry(): number[] {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  return grandparent === undefined ? [parent] : [parent, grandparent];
}

/**
 * Calls `onGone` once, when the parent chain recorded now changes. The timer does not keep the
 * process alive. Returns a function that stops watching.
 */
export function watchEngine(onGone: () => void, intervalMs = 500, observe: () => number[] = ancestry): () => void {
  const start = observe().join(" ");
  const timer = setInterval(() => {
    if (observe().join(" ") === start) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
