/**
 * Generated inputs at preview: for every kind, the inputs with every optional one set, with one to
 * three positions (at any depth, or a key nobody declared) replaced by any JSON value or dropped.
 * `check` never throws: it either accepts or answers failures that each name an input property and
 * say why; `diff` of accepted inputs never throws; neither sends a write.
 */
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Emulator } from "../../emulator";
import { propertyRuns } from "../emulator/property-runs";
import { providersIn } from "../../provider";
import { type CreatedState, KIND_NAMES, createdCase, type KindCase } from "./every-input";
import { positions, replaceAt } from "./input-positions";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

/** Any value an input can hold once the engine decoded it, plus "not set". */
const anyInput = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(undefined),
  fc.constantFrom("", " ", "..", "../../etc/passwd", "a\0b", "🙂", "x".repeat(5000), -1, 0, 1.5, 2 ** 53, -0),
);

/** A path to replace: an existing position, or a key no kind declares. */
function pathArb(inputs: Record<string, unknown>): fc.Arbitrary<string[]> {
  const all = [...positions(inputs)];
  return fc.oneof(
    fc.constantFrom(...all),
    fc.constant(["undeclaredInput"]).map((p) => [...p]),
  );
}

/** Whether every position above `path` in `value` is an object or a list. */
function reachable(value: unknown, path: string[]): boolean {
  let at = value;
  for (const key of path.slice(0, -1)) {
    if (at === null || typeof at !== "object") return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== null && typeof at === "object";
}

/** The asset directory is read at check: a generated path ("/", ".") would walk the whole disk, so it keeps non-string values only. */
function safeFor(path: string[], value: unknown): unknown {
  return path.at(-1) === "directory" && typeof value === "string" ? 42 : value;
}

describe.each(KIND_NAMES)("%s with generated inputs", (kindName) => {
  let c: KindCase;
  let state: CreatedState;
  beforeEach(async () => {
    ({ c, state } = await createdCase(emu, providers, kindName));
    emu.requests.clear();
  });

  it("check accepts or names the property and the rule; diff of what it accepts never throws; no write", async () => {
    const mutation = fc.array(fc.tuple(pathArb(c.inputs), anyInput), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        // A later change inside a position an earlier one replaced by a scalar has nowhere to go: skipped.
        const inputs = changes.reduce<unknown>(
          (acc, [path, value]) => (reachable(acc, path) ? replaceAt(acc, path, safeFor(path, value)) : acc),
          c.inputs,
        ) as Record<string, unknown>;
        const checked = await c.provider.check!({}, inputs);
        for (const f of checked.failures ?? []) {
          expect(typeof f.property === "string" && f.property.length > 0).toBe(true);
          expect(typeof f.reason === "string" && f.reason.length > 0).toBe(true);
          // The property is an input (or the `import` option), at its top level or within it.
          expect([...Object.keys(inputs), "import"]).toContain(f.property.split(/[.[]/)[0]);
        }
        if (!checked.failures?.length) {
          expect(() => Struct.fromJavaScript(checked.inputs as never)).not.toThrow();
          const diff = await c.provider.diff!(state.id, state.outs, checked.inputs);
          expect(typeof diff.changes).toBe("boolean");
        }
        expect(emu.requests.writes()).toEqual([]);
      }),
      propertyRuns(40),
    );
  });
});
