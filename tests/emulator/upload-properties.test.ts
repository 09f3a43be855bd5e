/**
 * Generated uploads, as a broken or hostile client could send them: multipart framing (boundaries,
 * truncation, quotes and line breaks in names), metadata (any JSON, bindings of any shape), module
 * names with `..`, `/`, NUL and thousands of characters, asset manifests with odd paths. Every
 * answer is Cloudflare's envelope (a refusal a 4xx with `errors[0].code`), a refused upload leaves
 * the state as it was, and nothing is written outside the data directory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { startEmulator, type Emulator } from "../../emulator";
import { propertyRuns } from "./property-runs";

const NS = "tenants";
const CODE = 'export default { fetch() { return new Response("ok") } }';

let root: string;
let dataDir: string;
let emu: Emulator;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-upload-props-"));
  dataDir = path.join(root, "data");
  emu = await startEmulator({ dataDir });
  await fetch(`${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: NS }),
  });
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const oddName = fc.oneof(
  fc.constantFrom(
    "index.js",
    "../index.js",
    "../../../../tmp/escape.js",
    "/etc/passwd",
    "a/../../b.js",
    "..",
    ".",
    "",
    "a\0b.js",
    "nul\0",
    "dir/",
    "C:\\x.js",
    "%2e%2e/x.js",
  ),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ minLength: 1000, maxLength: 5000, unit: fc.constantFrom("a", "/", ".") }),
);

const binding = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom("plain_text", "secret_text", "json", "kv_namespace", "wasm_module", "text_blob", "service", "inherit", "bogus"),
      name: oddName,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  body: Uint8Array;
}

/** A well-formed upload whose main module has an odd name, with odd extra modules and bindings. */
const plausibleParts = fc
  .record({ main: oddName, others: fc.array(oddName, { maxLength: 2 }), bindings: fc.array(binding, { maxLength: 2 }) })
  .map(({ main, others, bindings }): Part[] => [
    {
      name: "metadata",
      filename: null,
      contentType: "application/json",
      body: Buffer.from(JSON.stringify({ main_module: main, compatibility_date: "2025-01-01", bindings })),
    },
    { name: main, filename: main, contentType: "application/javascript+module", body: Buffer.from(CODE) },
    ...others.map((n) => ({ name: n, filename: n, contentType: "text/plain", body: Buffer.from(n) })),
  ]);

/** An upload: metadata (as JSON or raw text) and module parts, all names drawn from the odd ones. */
const anyParts = fc
  .record({
    names: fc.array(oddName, { minLength: 0, maxLength: 4 }),
    metadata: fc.oneof(
      fc
        .record(
          {
            main_module: oddName,
            body_part: oddName,
            bindings: fc.oneof(fc.array(binding, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
            compatibility_date: fc.oneof(fc.constant("2025-01-01"), fc.string({ maxLength: 12 })),
            keep_bindings: fc.jsonValue({ maxDepth: 1 }),
            assets: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((m) => JSON.stringify(m)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    ),
    metadataFirst: fc.boolean(),
    types: fc.array(
      fc.constantFrom(null, "application/javascript+module", "application/javascript", "text/plain", "application/wasm", "bogus/\r\nx: y"),
      { minLength: 4, maxLength: 4 },
    ),
    bodies: fc.array(fc.oneof(fc.constant(CODE), fc.string({ maxLength: 60 }), fc.uint8Array({ maxLength: 60 })), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ names, metadata, metadataFirst, types, bodies }): Part[] => {
    const modules = names.map((name, i) => ({
      name,
      filename: i % 2 === 0 ? name : null,
      contentType: types[i],
      body: typeof bodies[i] === "string" ? Buffer.from(bodies[i]) : (bodies[i] as Uint8Array),
    }));
    const meta: Part = { name: "metadata", filename: null, contentType: "application/json", body: Buffer.from(metadata) };
    return metadataFirst ? [meta, ...modules] : [...modules, meta];
  });

/**
 * A well-formed upload Cloudflare accepts: a plain module name and plain-text bindings. Weighted in
 * so every run reaches the accepting path; drawn only from the odd generators, an accepted upload is
 * rare enough that 150 runs sometimes saw none.
 */
const acceptableParts = fc
  .record({
    main: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}\.(js|mjs)$/),
    bindings: fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/), { maxLength: 3 }),
  })
  .map(({ main, bindings }): Part[] => [
    {
      name: "metadata",
      filename: null,
      contentType: "application/json",
      body: Buffer.from(
        JSON.stringify({
          main_module: main,
          compatibility_date: "2025-01-01",
          bindings: bindings.map((name) => ({ type: "plain_text", name, text: name })),
        }),
      ),
    },
    { name: main, filename: main, contentType: "application/javascript+module", body: Buffer.from(CODE) },
  ]);

const uploadParts = fc.oneof(plausibleParts, anyParts);

type Frame = { kind: "ok" | "no-close" | "other-boundary" | "no-boundary" | "bare-lf" } | { kind: "truncate"; at: number };

/** How the parts are framed: correctly, or broken one of the ways a client can break it. */
const framing: fc.Arbitrary<Frame> = fc.oneof(
  fc.constant({ kind: "ok" as const }),
  fc.constant({ kind: "no-close" as const }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("other-boundary" as const) }),
  fc.record({ kind: fc.constant("no-boundary" as const) }),
  fc.record({ kind: fc.constant("bare-lf" as const) }),
);

function encode(parts: Part[], frame: Frame): { body: Buffer; contentType: string } {
  const boundary = "----emulator-property-boundary";
  const eol = frame.kind === "bare-lf" ? "\n" : "\r\n";
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === null ? "" : `; filename="${p.filename}"`}`;
    const headers = `--${boundary}${eol}Content-Disposition: ${disposition}${eol}${p.contentType === null ? "" : `Content-Type: ${p.contentType}${eol}`}${eol}`;
    chunks.push(Buffer.from(headers), Buffer.from(p.body), Buffer.from(eol));
  }
  if (frame.kind !== "no-close") chunks.push(Buffer.from(`--${boundary}--${eol}`));
  let body = Buffer.concat(chunks);
  if (frame.kind === "truncate") body = body.subarray(0, frame.at % (body.length + 1));
  const contentType =
    frame.kind === "other-boundary"
      ? "multipart/form-data; boundary=not-the-one"
      : frame.kind === "no-boundary"
        ? "multipart/form-data"
        : `multipart/form-data; boundary=${boundary}`;
  return { body, contentType };
}

/** Sends a request and checks the answer is Cloudflare's envelope; returns whether it succeeded. */
async function sendChecked(method: string, apiPath: string, body: Buffer, contentType: string): Promise<boolean> {
  const res = await fetch(`${emu.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": contentType },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  const envelope = JSON.parse(text) as {
    success: boolean;
    errors: Array<{ code: unknown; message: unknown }>;
    messages: unknown;
    result: unknown;
  };
  if (envelope.success) {
    expect(res.status).toBe(200);
    return true;
  }
  expect({ status: res.status, result: envelope.result, messages: Array.isArray(envelope.messages) }).toEqual({
    status: expect.any(Number),
    result: null,
    messages: true,
  });
  expect(res.status >= 400 && res.status < 500).toBe(true);
  expect(envelope.errors[0]).toEqual({ code: expect.any(Number), message: expect.any(String), ...(envelope.errors[0] as object) });
  return false;
}

/** Answers seen, so a spec can tell its generator also reaches accepted requests. */
const seen = { accepted: 0, refused: 0 };

/** Runs `request`; a refusal must leave the state as it was; the files stay within the data directory. */
async function unchangedWhenRefused(request: () => Promise<boolean>): Promise<void> {
  const before = JSON.stringify(emu.state.accounts());
  const ok = await request();
  seen[ok ? "accepted" : "refused"]++;
  if (!ok) expect(JSON.stringify(emu.state.accounts())).toBe(before);
  expect(filesUnder(root)).toEqual(["data/secrets.key", "data/state.journal"]);
}

const scriptPaths = () => [
  `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/gen`,
  `/accounts/${emu.accountId}/workers/scripts/gen`,
  `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/gen/content`,
];

beforeEach(() => Object.assign(seen, { accepted: 0, refused: 0 }));

it("answers any generated upload with the envelope, and a refused one changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        { arbitrary: fc.record({ parts: acceptableParts, frame: fc.constant<Frame>({ kind: "ok" }) }), weight: 1 },
        { arbitrary: fc.record({ parts: uploadParts, frame: framing }), weight: 3 },
      ),
      fc.nat(2),
      async ({ parts, frame }, target) => {
        const { body, contentType } = encode(parts, frame);
        await unchangedWhenRefused(() => sendChecked("PUT", scriptPaths()[target], body, contentType));
      },
    ),
    propertyRuns(150),
  );
  expect(seen.accepted).toBeGreaterThan(0);
  expect(seen.refused).toBeGreaterThan(0);
});

it("answers any generated asset manifest with the envelope, and a refused one changes nothing", async () => {
  const entry = fc.oneof(fc.record({ hash: fc.stringMatching(/^[0-9a-f]{32}$/), size: fc.nat(1 << 26) }), fc.jsonValue({ maxDepth: 1 }));
  const manifest = fc.oneof(
    fc.dictionary(
      fc.oneof(
        oddName,
        oddName.map((n) => `/${n}`),
      ),
      entry,
      { maxKeys: 5 },
    ),
    fc.jsonValue({ maxDepth: 2 }),
  );
  await fc.assert(
    fc.asyncProperty(manifest, fc.boolean(), async (m, namespaced) => {
      const script = namespaced
        ? `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NS}/scripts/gen`
        : `/accounts/${emu.accountId}/workers/scripts/gen`;
      const body = Buffer.from(JSON.stringify({ manifest: m }));
      await unchangedWhenRefused(() => sendChecked("POST", `${script}/assets-upload-session`, body, "application/json"));
    }),
    propertyRuns(100),
  );
  expect(seen.accepted).toBeGreaterThan(0);
  expect(seen.refused).toBeGreaterThan(0);
});
