/**
 * Cloudflare is eventually consistent: a dispatch namespace that was just created can answer
 * "not found" (404/100119) for a moment to reads and to uploads into it. Calls that can meet such a
 * just-created object retry here, for a bounded time (CLOUDFLARE_WFP_VISIBILITY_WAIT seconds,
 * default 30), before the "not found" is believed.
 *
 * Only objects this provider process created (or renamed) within that time are waited for, so a
 * namespace that truly does not exist (a typo) fails at once instead of after 30 s. A namespace made
 * by another process a moment before is the case this leaves out; it is rare, and a retry fixes it.
 */

/** CLOUDFLARE_WFP_VISIBILITY_WAIT in milliseconds, default 30 s. */
export function visibilityBoundFrom(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.CLOUDFLARE_WFP_VISIBILITY_WAIT);
  return env.CLOUDFLARE_WFP_VISIBILITY_WAIT !== undefined && seconds >= 0 ? seconds * 1000 : 30_000;
}

export function objectKey(kind: string, accountId: string, name: string): string {
  return `${kind}\n${accountId}\n${name}`;
}

/** What this process created recently, and how long a "not found" about it is waited out (one per context: context.ts). */
export class Visibility {
  /** When this process created or renamed each object, by `objectKey`. */
  private readonly createdAt = new Map<string, number>();

  constructor(public boundMs: number) {}

  /** Records that this process just created (or renamed to) the object. */
  noteCreated(key: string): void {
    this.createdAt.set(key, Date.now());
  }

  /** Whether this process created the object recently enough that "not found" may be a stale read. */
  createdRecently(key: string): boolean {
    const at = this.createdAt.get(key);
    return at !== undefined && Date.now() - at < this.boundMs;
  }

  /**
   * Runs `call`; while it fails with an error `notYetVisible` accepts, tries again (250 ms, doubling
   * to 2 s) until the bound has passed, then lets the last error through.
   */
  async retryWhileInvisible<T>(call: () => Promise<T>, notYetVisible: (error: unknown) => boolean): Promise<T> {
    const deadline = Date.now() + this.boundMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await call();
      } catch (error) {
        const remaining = deadline - Date.now();
        if (!notYetVisible(error) || remaining <= 0) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, remaining)));
      }
    }
  }
}
