/**
 * How many cases each property-based spec tries. fast-check (chosen for its TypeScript-first
 * arbitraries, integrated shrinking and replayable seeds, without install scripts) runs a bounded
 * number in `npm test`; `PROPERTY_RUNS=5000` tries more, and a failure prints its `seed` and `path`,
 * which `PROPERTY_SEED` / `PROPERTY_PATH` replay (bench/README.md).
 */
import type * as fc from "fast-check";

export function propertyRuns(defaultRuns: number): fc.Parameters<unknown> {
  const env = process.env;
  return {
    numRuns: env.PROPERTY_RUNS ? Number(env.PROPERTY_RUNS) : defaultRuns,
    ...(env.PROPERTY_SEED ? { seed: Number(env.PROPERTY_SEED) } : {}),
    ...(env.PROPERTY_PATH ? { path: env.PROPERTY_PATH } : {}),
  };
}
