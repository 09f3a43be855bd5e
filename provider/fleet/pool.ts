/**
 * Runs one step per tenant with at most `limit` in flight, and never stops at a failure: a fleet's
 * `up` keeps every tenant that succeeded, so each outcome is collected instead of thrown. The
 * request policy (cloudflare/request-policy.ts) still paces every request inside a step.
 */
export interface Outcomes<T> {
  done: Map<string, T>;
  failed: Map<string, string>;
}

export async function forEachTenant<T>(names: readonly string[], limit: number, step: (name: string) => Promise<T>): Promise<Outcomes<T>> {
  const outcomes: Outcomes<T> = { done: new Map(), failed: new Map() };
  let next = 0;
  const lane = async () => {
    while (next < names.length) {
      const name = names[next++];
      try {
        outcomes.done.set(name, await step(name));
      } catch (error) {
        outcomes.failed.set(name, error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, names.length)) }, lane));
  return outcomes;
}
