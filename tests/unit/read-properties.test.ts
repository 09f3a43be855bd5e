/**
 * Generated Cloudflare answers at `read` (refresh, import): for every kind, the emulator's answers
 * pass through a proxy that drops fields, sets them to null and adds fields nobody knows, at any depth
 * of `result` and `result_info`, as a later API version or a partial answer could. `read` either
 * returns state the engine can store or fails with an error that says what it was doing; it never
 * crashes on the shape (no TypeError, RangeError, ReferenceError or SyntaxError).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Emulator } from "../../emulator";
import { propertyRuns } from "../emulator/property-runs";
import { providersIn } from "../../provider";
import { type CreatedState, KIND_NAMES, createdCase, type KindCase } from "./every-input";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

/** One decision per JSON object the proxy meets, in order; past the end, answers pass unchanged. */
type Op = { kind: "keep" } | { kind: "drop" | "null"; pick: number } | { kind: "extra"; value: unknown };
let ops: Op[] = [];
/** JSON answers the proxy rewrote, so a spec can tell its reads went through it. */
let rewritten = 0;

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "keep" as const }) },
  fc.record({ kind: fc.constantFrom("drop" as const, "null" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("extra" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
);

function mutate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mutate);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mutate(v);
  const next = ops.shift() ?? { kind: "keep" };
  const keys = Object.keys(out);
  if ((next.kind === "drop" || next.kind === "null") && keys.length > 0) {
    const key = keys[next.pick % keys.length];
    if (next.kind === "drop") delete out[key];
    else out[key] = null;
  } else if (next.kind === "extra") {
    out.unknown_field_from_a_later_api = next.value;
  }
  return out;
}

/** A proxy in front of the emulator that rewrites the `result` and `result_info` of JSON answers. */
let proxy: http.Server;
let proxyUrl: string;
beforeAll(async () => {
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "content-length")) as Record<
      string,
      string
    >;
    const upstream = await fetch(`${emu.origin}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    let body = Buffer.from(await upstream.arrayBuffer());
    const type = upstream.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      const envelope = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      if ("result" in envelope) envelope.result = mutate(envelope.result);
      if (envelope.result_info) envelope.result_info = mutate(envelope.result_info);
      body = Buffer.from(JSON.stringify(envelope));
      rewritten++;
    }
    const passed: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!["content-length", "content-encoding", "transfer-encoding"].includes(k)) passed[k] = v;
    });
    res.writeHead(upstream.status, { ...passed, "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/client/v4`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

describe.each(KIND_NAMES)("%s read of generated answers", (kindName) => {
  let c: KindCase;
  let state: CreatedState;
  beforeEach(async () => {
    ({ c, state } = await createdCase(emu, providers, kindName));
    env.CLOUDFLARE_BASE_URL = proxyUrl;
    rewritten = 0;
  });
  afterEach(() => {
    env.CLOUDFLARE_BASE_URL = emu.url;
    ops = [];
  });

  it("returns storable state or a described failure, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), async (generated) => {
        ops = [...generated];
        try {
          const read = await c.provider.read!(state.id, state.outs);
          expect(typeof read.id === "string" || read.id === undefined).toBe(true);
          expect(() => Struct.fromJavaScript((read.props ?? {}) as never)).not.toThrow();
        } catch (error) {
          if (PROGRAMMING_ERRORS.some((E) => error instanceof E)) throw error;
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
      }),
      propertyRuns(25),
    );
    expect(rewritten).toBeGreaterThanOrEqual(25);
  });
});
