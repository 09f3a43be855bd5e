/**
 * The multipart body of a script or asset upload, built as bytes: the platform's own parser (the
 * `formData()` of a fetch Response, as a server written on Node would read it) finds exactly the
 * parts given, with their names, file names, Content-Types and bytes, and names that carry a quote
 * or a line break are escaped as the HTML form encoding does.
 */
import { MultipartBody } from "../../provider/cloudflare/multipart";

async function parsed(body: MultipartBody): Promise<Array<{ name: string; filename: string; type: string; bytes: number[] }>> {
  const form = await new Response(body.bytes, { headers: { "Content-Type": body.contentType } }).formData();
  const files: Array<{ name: string; file: File }> = [];
  form.forEach((value, name) => {
    if (typeof value === "string") throw new Error(`part ${name} arrived as a field, not a file`);
    files.push({ name, file: value });
  });
  return Promise.all(
    files.map(async ({ name, file }) => ({
      name,
      filename: file.name,
      type: file.type,
      bytes: [...new Uint8Array(await file.arrayBuffer())],
    })),
  );
}

it("holds each part as a file, in order, text and binary bytes alike", async () => {
  const binary = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 13, 10, 45, 45]);
  const body = new MultipartBody([
    { name: "metadata", filename: "metadata.json", contentType: "application/json", content: '{"main_module":"worker.js"}' },
    { name: "worker.js", filename: "worker.js", contentType: "application/javascript+module", content: "export default {} // héllo ✓" },
    { name: "add.wasm", filename: "add.wasm", contentType: "application/wasm", content: binary },
  ]);
  expect(body.contentType).toMatch(/^multipart\/form-data; boundary=-+cloudflare-wfp-[0-9a-f]{32}$/);
  expect(await parsed(body)).toEqual([
    { name: "metadata", filename: "metadata.json", type: "application/json", bytes: [...Buffer.from('{"main_module":"worker.js"}')] },
    {
      name: "worker.js",
      filename: "worker.js",
      type: "application/javascript+module",
      bytes: [...Buffer.from("export default {} // héllo ✓")],
    },
    { name: "add.wasm", filename: "add.wasm", type: "application/wasm", bytes: [...binary] },
  ]);
});

it("escapes a quote, CR and LF in a name as %22, %0D and %0A, as the native FormData does", async () => {
  const name = 'odd"name\r\nx.js';
  const ours = new MultipartBody([{ name, filename: name, contentType: "text/plain", content: "x" }], "b");
  const native = new FormData();
  native.append(name, new Blob(["x"], { type: "text/plain" }), name);
  const nativeText = await new Response(native).text();
  const disposition = (text: string) => text.split("\r\n").find((line) => line.startsWith("Content-Disposition"));
  expect(disposition(Buffer.from(ours.bytes).toString("latin1"))).toBe(
    'Content-Disposition: form-data; name="odd%22name%0D%0Ax.js"; filename="odd%22name%0D%0Ax.js"',
  );
  expect(disposition(Buffer.from(ours.bytes).toString("latin1"))).toBe(disposition(nativeText));
});

it("ends with the close delimiter and its CRLF", () => {
  const body = new MultipartBody([{ name: "a", filename: "a", contentType: "text/plain", content: "x" }], "b");
  expect(Buffer.from(body.bytes).toString("latin1")).toBe(
    '--b\r\nContent-Disposition: form-data; name="a"; filename="a"\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n',
  );
});
