/**
 * Worker code as Cloudflare's upload takes it: inline scripts as one module, entrypoints bundled by
 * esbuild for the Workers runtime, with a content hash that changes exactly when the code does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BundleError, MODULE_TYPES, bundleEntrypoint, inlineScript } from "../../provider/workers/bundle";

let dir: string;
const write = (name: string, content: string | Uint8Array) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
};
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("uploads an inline script as a single ES module named index.js", () => {
  const bundle = inlineScript("export default { fetch() { return new Response('hi') } }");
  expect(bundle.mainModule).toBe("index.js");
  expect(bundle.modules).toEqual([{ name: "index.js", content: expect.any(Buffer), contentType: MODULE_TYPES.esm }]);
  expect(bundle.contentHash).toMatch(/^[0-9a-f]{64}$/);
  expect(inlineScript("export default {}").contentHash).not.toBe(bundle.contentHash);
});

it("bundles a TypeScript entrypoint with its helper module and JSON into one ES module plus a source map", async () => {
  write("src/greet.ts", "export const greet = (n: string): string => `hello ${n}`;");
  write("src/config.json", JSON.stringify({ region: "eu" }));
  write(
    "src/tenant.ts",
    'import { greet } from "./greet"; import config from "./config.json";\n' +
      "export default { fetch(): Response { return new Response(greet(config.region)); } };",
  );
  const bundle = await bundleEntrypoint("src/tenant.ts", { nodejsCompat: false, baseDir: dir });

  expect(bundle.modules.map((m) => [m.name, m.contentType])).toEqual([
    ["index.js", MODULE_TYPES.esm],
    ["index.js.map", MODULE_TYPES.sourceMap],
  ]);
  const code = text(bundle.modules[0].content);
  expect(code).toContain("hello ");
  expect(code).toContain('"eu"');
  expect(code).toMatch(/export\s*\{[^}]*as default/);
  expect(code).toContain("//# sourceMappingURL=index.js.map");
});

it("keeps cloudflare:* imports for the runtime, and node:* ones only under nodejs_compat", async () => {
  write(
    "w.js",
    'import { DurableObject } from "cloudflare:workers"; import { Buffer } from "node:buffer";\nexport default { fetch() { return new Response(String(DurableObject) + Buffer.from("x")); } };',
  );
  const compat = await bundleEntrypoint("w.js", { nodejsCompat: true, baseDir: dir });
  const code = text(compat.modules[0].content);
  expect(code).toContain('from "cloudflare:workers"');
  expect(code).toContain('from "node:buffer"');

  await expect(bundleEntrypoint("w.js", { nodejsCompat: false, baseDir: dir })).rejects.toThrow(/node:buffer/);
});

it("keeps WebAssembly as its own module and inlines text files", async () => {
  write("add.wasm", Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  write("page.html", "<h1>tenant</h1>");
  write(
    "w.js",
    'import wasm from "./add.wasm"; import page from "./page.html";\nexport default { fetch() { return new Response(page + String(wasm)); } };',
  );
  const bundle = await bundleEntrypoint("w.js", { nodejsCompat: false, baseDir: dir });

  const wasm = bundle.modules.find((m) => m.contentType === MODULE_TYPES.wasm)!;
  expect(wasm.name).toMatch(/^add-[A-Z0-9]+\.wasm$/);
  expect(Array.from(wasm.content.slice(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
  const code = text(bundle.modules[0].content);
  expect(code).toContain(`"./${wasm.name}"`);
  expect(code).toContain("<h1>tenant</h1>");
});

it("gives the same content hash for the same code, and a new one when the code changes", async () => {
  write("w.js", "export default { fetch() { return new Response('v1') } };");
  const first = await bundleEntrypoint("w.js", { nodejsCompat: false, baseDir: dir });
  const again = await bundleEntrypoint("w.js", { nodejsCompat: false, baseDir: dir });
  expect(again.contentHash).toBe(first.contentHash);

  write("w.js", "export default { fetch() { return new Response('v2') } };");
  expect((await bundleEntrypoint("w.js", { nodejsCompat: false, baseDir: dir })).contentHash).not.toBe(first.contentHash);
});

it("reports a bundling failure on the entrypoint property with esbuild's location and message", async () => {
  write("broken.ts", "export default { fetch( { return 1 } };");
  const failure = bundleEntrypoint("broken.ts", { nodejsCompat: false, baseDir: dir });
  await expect(failure).rejects.toBeInstanceOf(BundleError);
  await expect(failure).rejects.toMatchObject({
    property: "entrypoint",
    message: expect.stringMatching(/bundling broken\.ts failed: broken\.ts:1:\d+: /),
  });
  await expect(bundleEntrypoint("missing.ts", { nodejsCompat: false, baseDir: dir })).rejects.toThrow(
    /bundling missing\.ts failed: .*missing\.ts/,
  );
});
