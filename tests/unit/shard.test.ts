/**
 * `shardOf`: every stack of a sharded platform computes every tenant's shard on its own, so the answer must never
 * change (across processes, Node.js versions, releases), must spread tenants evenly, and must move few tenants when a
 * shard is added.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { shardOf } from "../../sdk";
import { nodeExecutable } from "../../toolchain/node-runtime";

const names = (count: number) => Array.from({ length: count }, (_, i) => `tenant-${String(i).padStart(6, "0")}`);

describe("shardOf", () => {
  it("keeps every tenant in the shard it had when the helper was published (SHA-256 prefix, jump consistent hash)", () => {
    // Computed once by an independent implementation of the paper's algorithm; a change here re-shards every platform.
    const published: Array<[string, number, number]> = [
      ["customer-a", 4, 2],
      ["customer-b", 4, 2],
      ["tenant-00000", 8, 7],
      ["tenant-00001", 8, 4],
      ["émoji-🚀", 2, 1],
      ["customer-a", 1000, 560],
      ["customer-b", 1000, 995],
      ["", 8, 5],
    ];
    expect(published.map(([name, count]) => [name, count, shardOf(name, count)])).toEqual(published);
  });

  it("answers the same in another process on the oldest supported Node.js (22)", () => {
    const sample = names(200);
    const here = sample.map((name) => shardOf(name, 7));
    const script = `const { shardOf } = require(${JSON.stringify(path.join(__dirname, "..", "..", "dist", "sdk", "shard.js"))});
      process.stdout.write(JSON.stringify(${JSON.stringify(sample)}.map((name) => shardOf(name, 7))));`;
    expect(JSON.parse(execFileSync(nodeExecutable(22), ["-e", script], { encoding: "utf8" }))).toEqual(here);
  });

  it("puts every tenant in exactly one of the shards, 0 to shardCount - 1", () => {
    for (const count of [1, 2, 3, 4, 16]) {
      for (const name of names(500)) {
        const shard = shardOf(name, count);
        expect(Number.isInteger(shard) && shard >= 0 && shard < count).toBe(true);
      }
    }
  });

  it("spreads 100,000 tenants over 4 shards within 2% of an even share each", () => {
    const counts = [0, 0, 0, 0];
    for (const name of names(100_000)) counts[shardOf(name, 4)]++;
    for (const count of counts) expect(Math.abs(count - 25_000) / 25_000).toBeLessThan(0.02);
  });

  it("moves only about 1 tenant in 5, each into the new shard, when 4 shards become 5", () => {
    const sample = names(20_000);
    const moved = sample.filter((name) => shardOf(name, 5) !== shardOf(name, 4));
    expect(moved.every((name) => shardOf(name, 5) === 4)).toBe(true);
    expect(Math.abs(moved.length / sample.length - 1 / 5)).toBeLessThan(0.02);
  });

  it("refuses a shard count that is not a whole number from 1, naming shardCount", () => {
    for (const bad of [0, -1, 2.5, Number.NaN, 2 ** 31]) {
      expect(() => shardOf("customer-a", bad)).toThrow(/shardCount must be a whole number from 1/);
    }
  });
});
