/**
 * A first `pulumi preview` sends `check` and `diff` the engine's unknown sentinel wherever an input
 * depends on a resource not created yet: any input, at any depth (a whole binding map, one binding,
 * one field of a binding, one route, one limit). For every kind, every such position is generated
 * from the shape of its inputs with every optional input set: `check` must accept it without a
 * failure or a write, and `diff` must say the resource will change, replacing it only for inputs
 * that replace it.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Emulator } from "../../emulator";
import { UNKNOWN } from "../../provider/framework/unknowns";
import { providersIn } from "../../provider";
import { type CreatedState, KIND_NAMES, createdCase, type KindCase } from "./every-input";
import { positions, replaceAt } from "./input-positions";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

/** Each position of `value` replaced in turn by the unknown sentinel. */
function* unknownAtEveryDepth(value: unknown): Generator<{ path: string[]; value: unknown }> {
  for (const path of positions(value)) yield { path, value: replaceAt(value, path, UNKNOWN) };
}

describe("the generator of unknown positions", () => {
  it("reaches every key and list item at every depth, one at a time", () => {
    const variants = [...unknownAtEveryDepth({ a: 1, b: { c: [2, { d: 3 }] } })].map((v) => [v.path.join("."), v.value]);
    expect(variants).toEqual([
      ["a", { a: UNKNOWN, b: { c: [2, { d: 3 }] } }],
      ["b", { a: 1, b: UNKNOWN }],
      ["b.c", { a: 1, b: { c: UNKNOWN } }],
      ["b.c.0", { a: 1, b: { c: [UNKNOWN, { d: 3 }] } }],
      ["b.c.1", { a: 1, b: { c: [2, UNKNOWN] } }],
      ["b.c.1.d", { a: 1, b: { c: [2, { d: UNKNOWN }] } }],
    ]);
  });
});

describe.each(KIND_NAMES)("%s with an unknown input", (kindName) => {
  let c: KindCase;
  let state: CreatedState;
  beforeEach(async () => {
    ({ c, state } = await createdCase(emu, providers, kindName));
    emu.requests.clear();
  });

  it("is checked without a failure, diffed as a change, replaced only for inputs that replace it, with no write", async () => {
    const variants = [...unknownAtEveryDepth(c.inputs)];
    expect(variants.length).toBeGreaterThanOrEqual(Object.keys(c.inputs).length); // and every nested position
    const outcomes: string[] = [];
    for (const variant of variants) {
      const where = variant.path.join(".");
      const checked = await c.provider.check!({}, variant.value);
      expect({ where, failures: checked.failures ?? [] }).toEqual({ where, failures: [] });
      expect(() => Struct.fromJavaScript(checked.inputs as never)).not.toThrow();
      const diff = await c.provider.diff!(state.id, state.outs, checked.inputs);
      const replaced = c.replacedBy.includes(variant.path[0]) ? [variant.path[0]] : [];
      expect({ where, changes: diff.changes, replaces: diff.replaces ?? [] }).toEqual({ where, changes: true, replaces: replaced });
      outcomes.push(where);
    }
    expect(outcomes).toHaveLength(variants.length);
    expect(emu.requests.writes()).toEqual([]);
  });
});
