/** The bench's latency models: uniform 50 ms alone by default; against a peer the realistic model, then uniform 50 ms. */
import { parseBenchArgs } from "../../bench/lib/args";

it("runs the uniform 50 ms alone by default", () => {
  expect(parseBenchArgs([]).latencies).toEqual([{ model: "uniform", ms: 50 }]);
});

it("runs the realistic model, then the uniform 50 ms, against a peer", () => {
  const options = parseBenchArgs(["--peer", "alchemy"]);
  expect(options.latencies).toEqual([{ model: "realistic" }, { model: "uniform", ms: 50 }]);
  expect(options.latency).toEqual({ model: "realistic" });
});

it("takes the models named, in order, and --latency-ms as one uniform model", () => {
  expect(parseBenchArgs(["--peer", "alchemy", "--latency", "uniform:20,realistic"]).latencies).toEqual([
    { model: "uniform", ms: 20 },
    { model: "realistic" },
  ]);
  expect(parseBenchArgs(["--latency-ms", "0"]).latencies).toEqual([{ model: "uniform", ms: 0 }]);
  expect(() => parseBenchArgs(["--latency", "lognormal"])).toThrow(/--latency takes realistic and\/or uniform:<ms>/);
});
