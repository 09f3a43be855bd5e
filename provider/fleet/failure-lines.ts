/**
 * What the CLI prints when tenants of a fleet fail: the engine prints every reason of an initialization
 * failure on a line of its own, so ten thousand tenants refused for one cause (a namespace deleted
 * outside Pulumi, a revoked token) would be ten thousand lines. Tenants that failed the same way are
 * one line, counted and named by their first few; a reason of its own keeps its own line.
 */

/** Lines at most, whatever the number of tenants that failed; the last counts those left out. */
export const MAX_FAILURE_LINES = 10;
/** Tenants named on a line of several. */
const NAMED = 3;
const PLACEHOLDER = "\u0000tenant\u0000";

/** One line per cause (the reason with the tenant's own name taken out), the most frequent first. */
export function failureLines(failed: ReadonlyArray<readonly [tenant: string, reason: string]>): string[] {
  const byCause = new Map<string, string[]>();
  for (const [tenant, reason] of failed) {
    const cause = reason.split(`'${tenant}'`).join(PLACEHOLDER);
    const tenants = byCause.get(cause);
    if (tenants) tenants.push(tenant);
    else byCause.set(cause, [tenant]);
  }
  const groups = [...byCause].sort((a, b) => b[1].length - a[1].length);
  const shown = groups.length > MAX_FAILURE_LINES ? groups.slice(0, MAX_FAILURE_LINES - 1) : groups;
  const lines = shown.map(([cause, tenants]) => {
    const first = tenants[0];
    const reason = cause.split(PLACEHOLDER).join(`'${first}'`);
    if (tenants.length === 1) return `tenant '${first}': ${reason}`;
    const named = tenants.slice(0, NAMED).map((t) => `'${t}'`);
    const rest = tenants.length > NAMED ? ` and ${tenants.length - NAMED} more` : "";
    return `${tenants.length} tenants (${named.join(", ")}${rest}) failed the same way; for ${named[0]}: ${reason}`;
  });
  const left = groups.slice(shown.length).reduce((n, [, tenants]) => n + tenants.length, 0);
  if (left > 0) lines.push(`${left} more tenants failed for ${groups.length - shown.length} other reasons`);
  return lines;
}
