/**
 * Runs one step per tenant (or per item: a tenant's hostnames) with at most `limit` in flight, and
 * never stops at a failure: a fleet's `up` keeps every tenant that succeeded, so each outcome is
 * collected instead of thrown. The request policy (cloudflare/request-policy.ts) still paces every
 * request inside a step.
 */
export interface Outcomes<T> {
  done: Map<string, T>;
  failed: Map<string, string>;
}

/** One item's step, ended: its value, or why it failed. */
export type Settled<I, T> = { item: I } & ({ ok: true; value: T } | { ok: false; reason: string });

/** Runs `step` on each item with at most `limit` in flight; every outcome, in the items' order. */
export async function settleEach<I, T>(items: readonly I[], limit: number, step: (item: I) => Promise<T>): Promise<Array<Settled<I, T>>> {
  const settled = new Array<Settled<I, T>>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      try {
        settled[i] = { item, ok: true, value: await step(item) };
      } catch (error) {
        settled[i] = { item, ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return settled;
}

export async function forEachTenant<T>(names: readonly string[], limit: number, step: (name: string) => Promise<T>): Promise<Outcomes<T>> {
  const outcomes: Outcomes<T> = { done: new Map(), failed: new Map() };
  for (const s of await settleEach(names, limit, step)) {
    if (s.ok) outcomes.done.set(s.item, s.value);
    else outcomes.failed.set(s.item, s.reason);
  }
  return outcomes;
}
