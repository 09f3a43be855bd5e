/**
 * The lines the CLI prints for tenants of a fleet that failed: one per cause, however many tenants
 * share it, never more than MAX_FAILURE_LINES.
 */
import { MAX_FAILURE_LINES, failureLines } from "../../provider/fleet/failure-lines";

const refusal = (tenant: string) =>
  `uploading worker script '${tenant}' in dispatch namespace 'tenants': Cloudflare refused it (HTTP 404, code 100119): Dispatch namespace 'tenants' was not found.`;
const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `t-${String(from + i).padStart(5, "0")}`);

describe("the lines of a fleet's failed tenants", () => {
  it("give a tenant that failed alone its own reason, as Cloudflare gave it", () => {
    expect(failureLines([["t-1", refusal("t-1")]])).toEqual([`tenant 't-1': ${refusal("t-1")}`]);
  });

  it("make ten thousand tenants refused for one cause one line that counts them and names the first few", () => {
    const lines = failureLines(names(10_000).map((t) => [t, refusal(t)] as const));
    expect(lines).toEqual([
      `10000 tenants ('t-00000', 't-00001', 't-00002' and 9997 more) failed the same way; for 't-00000': ${refusal("t-00000")}`,
    ]);
  });

  it("keep each cause apart, the most frequent first, and a name that is not the tenant's (the namespace) as it is", () => {
    const failed = [
      ["a", `uploading worker script 'a': injected refusal (code 10021)`],
      ...names(3).map((t) => [t, refusal(t)] as const),
    ] as const;
    const lines = failureLines(failed);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^3 tenants \('t-00000', 't-00001', 't-00002'\) failed the same way; .*dispatch namespace 'tenants'/);
    expect(lines[1]).toBe(`tenant 'a': uploading worker script 'a': injected refusal (code 10021)`);
  });

  it("never print more than the cap of lines, the last counting the tenants and causes left out", () => {
    const failed = names(25).map((t, i) => [t, `cause number ${i}`] as const);
    const lines = failureLines(failed);
    expect(lines).toHaveLength(MAX_FAILURE_LINES);
    expect(lines.at(-1)).toBe(`16 more tenants failed for 16 other reasons`);
  });
});
