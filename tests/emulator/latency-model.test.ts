/** Latency by endpoint class: uploads take seconds, reads a fraction of one; seeded, so runs repeat. */
import { FaultController, seededRandom } from "../../emulator/faults";
import { drawLognormal, endpointClass, REALISTIC_LATENCY } from "../../emulator/latency-model";
import { startEmulator } from "../../emulator";
import { sdk } from "./helpers";

const A = "/accounts/0123456789abcdef0123456789abcdef";
const NS = `${A}/workers/dispatch/namespaces/tenants`;

it.each([
  ["PUT", `${NS}/scripts/t1`, "upload"],
  ["PUT", `${A}/workers/scripts/dispatcher`, "upload"],
  ["PUT", `${A}/workers/scripts/dispatcher/content`, "upload"],
  ["POST", `${A}/workers/scripts/dispatcher/versions`, "upload"],
  ["POST", `${A}/workers/assets/upload`, "upload"],
  ["PATCH", `${NS}/scripts/t1/settings`, "write"],
  ["PUT", `${NS}/scripts/t1/secrets`, "write"],
  ["PUT", `${NS}/scripts/t1/tags/blue`, "write"],
  ["POST", `${A}/workers/dispatch/namespaces`, "write"],
  ["POST", `${A}/workers/scripts/dispatcher/assets-upload-session`, "write"],
  ["DELETE", `${NS}/scripts/t1`, "delete"],
  ["GET", `${NS}/scripts`, "list"],
  ["GET", `${A}/workers/dispatch/namespaces`, "list"],
  ["GET", "/zones/abc/workers/routes", "list"],
  ["GET", `${NS}/scripts/t1/settings`, "read"],
  ["GET", `${NS}/scripts/t1`, "read"],
  ["GET", `${NS}/scripts/t1/content`, "read"],
] as const)("%s %s is a(n) %s", (method, path, expected) => {
  expect(endpointClass(method, path)).toBe(expected);
});

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

it("draws lognormal times around each class's median", () => {
  const random = seededRandom(3);
  for (const d of Object.values(REALISTIC_LATENCY)) {
    const draws = Array.from({ length: 2001 }, () => drawLognormal(d, random));
    expect(Math.min(...draws)).toBeGreaterThan(0);
    expect(Math.abs(median(draws) / d.medianMs - 1)).toBeLessThan(0.1);
  }
});

it("gives the same times for the same seed and requests, and uploads take longer than reads", () => {
  const times = (seed: number) => {
    const faults = new FaultController({ latency: { model: "realistic" }, seed });
    return Array.from({ length: 200 }, (_, i) => faults.nextLatencyMs(i % 2 ? "GET" : "PUT", `${NS}/scripts/t${i}`));
  };
  expect(times(11)).toEqual(times(11));
  expect(times(11)).not.toEqual(times(12));
  const uploads = times(11).filter((_, i) => i % 2 === 0);
  const reads = times(11).filter((_, i) => i % 2 === 1);
  expect(median(uploads)).toBeGreaterThan(5 * median(reads));
});

it("records each request's drawn latency in the request log", async () => {
  const emu = await startEmulator({ faults: { latency: { model: "realistic" }, seed: 5 } });
  try {
    const expected = new FaultController({ latency: { model: "realistic" }, seed: 5 }).nextLatencyMs(
      "GET",
      `/accounts/${emu.accountId}/workers/dispatch/namespaces`,
    );
    await sdk(emu).workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId });
    expect(emu.requests.entries.map((e) => e.latencyMs)).toEqual([expected]);
    expect(emu.faults.describe().latency).toEqual({ model: "realistic" });
  } finally {
    await emu.close();
  }
});
