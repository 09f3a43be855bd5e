/** The HTTP contract: envelope and Content-Type everywhere, routing errors, body handling, robustness. */
import * as net from "node:net";
import { startEmulator, type Emulator } from "../../emulator";
import { raw } from "./helpers";

let emu: Emulator;
let nsBase: string;

beforeAll(async () => {
  emu = await startEmulator({ maxBodyBytes: 1024 });
  nsBase = `/accounts/${emu.accountId}/workers/dispatch/namespaces`;
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const envelopeOf = (code: number, message: string) => ({ success: false, errors: [{ code, message }], messages: [], result: null });

it("wraps successes in the envelope with Content-Type application/json", async () => {
  const res = await raw(emu, "GET", nsBase);
  expect(res.status).toBe(200);
  expect(res.contentType).toBe("application/json");
  expect(res.json).toEqual({ success: true, errors: [], messages: [], result: [] });
});

it("answers an unknown route with 404 / 7000 — under /client/v4 and outside it", async () => {
  for (const url of [`${emu.url}/nothing/here`, `${emu.url}`, `${emu.origin}/`, `${emu.origin}/v4/accounts`]) {
    const res = await raw(emu, "GET", url);
    expect(res.status).toBe(404);
    expect(res.contentType).toBe("application/json");
    expect(res.json).toEqual(envelopeOf(7000, "No route for that URI"));
  }
});

it("routes before authenticating: unknown routes are 404 even without credentials", async () => {
  const res = await raw(emu, "GET", "/nothing", { auth: false });
  expect(res.status).toBe(404);
});

it.each(["not-an-id", "ABCDEFABCDEFABCDEFABCDEFABCDEFAB", "abc", "g".repeat(32)])(
  "answers 400 / 7003 for the malformed account id %j",
  async (id) => {
    const res = await raw(emu, "GET", `/accounts/${id}/workers/dispatch/namespaces`);
    expect(res.status).toBe(400);
    expect(res.contentType).toBe("application/json");
    expect(res.json).toEqual(
      envelopeOf(
        7003,
        `Could not route to /client/v4/accounts/${id}/workers/dispatch/namespaces, perhaps your object identifier is invalid?`,
      ),
    );
  },
);

it("answers 405 / 10000 for a known path with the wrong method", async () => {
  const res = await raw(emu, "DELETE", nsBase);
  expect(res.status).toBe(405);
  expect(res.contentType).toBe("application/json");
  expect(res.json).toEqual(envelopeOf(10000, "DELETE method not allowed for the api_token authentication scheme"));
});

it("answers malformed JSON with 400 / 6007 and a non-object body with 400 / 10026", async () => {
  const bad = await raw(emu, "POST", nsBase, { body: '{"name": "x"' });
  expect(bad.status).toBe(400);
  expect(bad.contentType).toBe("application/json");
  expect(bad.json).toEqual(envelopeOf(6007, "Malformed JSON in request body"));
  const arr = await raw(emu, "POST", nsBase, { body: '["x"]' });
  expect(arr.status).toBe(400);
  expect(arr.json.errors[0].code).toBe(10026);
  expect(emu.state.namespaces()).toEqual([]);
});

it("answers a body over the limit with 413 and stays usable", async () => {
  const res = await raw(emu, "POST", nsBase, { body: JSON.stringify({ name: "big", pad: "x".repeat(5000) }) });
  expect(res.status).toBe(413);
  expect(res.contentType).toBe("application/json");
  expect(res.json.errors[0].code).toBe(10027);
  expect((await raw(emu, "POST", nsBase, { body: '{"name":"small"}' })).status).toBe(200);
});

it("tolerates a trailing slash and decodes percent-encoded path segments", async () => {
  expect((await raw(emu, "GET", `${nsBase}/`)).status).toBe(200);
  const res = await raw(emu, "GET", `${nsBase}/a%2Fb`);
  expect(res.status).toBe(404);
  expect(res.json.errors[0].message).toBe("Dispatch namespace 'a/b' was not found.");
  const broken = await raw(emu, "GET", `${nsBase}/%E0%A4%A`);
  expect(broken.status).toBe(400);
  expect(broken.json.errors[0].code).toBe(7003);
});

it("survives garbage on the wire and keeps serving", async () => {
  const reply = await new Promise<string>((resolve, reject) => {
    const sock = net.connect(emu.port, "127.0.0.1", () => sock.write("THIS IS NOT HTTP\r\n\r\n"));
    let data = "";
    sock.on("data", (d) => (data += d.toString()));
    sock.on("end", () => resolve(data));
    sock.on("error", reject);
  });
  expect(reply).toMatch(/^HTTP\/1\.1 400/);
  expect(reply).toMatch(/content-type: application\/json/i);
  expect((await raw(emu, "GET", nsBase)).status).toBe(200);
});

it("logs each Cloudflare request with method, path (no /client/v4), query, status and error code", async () => {
  await raw(emu, "GET", `${nsBase}?x=1`);
  await raw(emu, "POST", nsBase, { body: '{"name":"logged"}' });
  await raw(emu, "GET", `${nsBase}/missing`);
  const [list, create, miss] = emu.requests.entries;
  expect(list).toMatchObject({ method: "GET", path: nsBase, query: "x=1", status: 200 });
  expect(create).toMatchObject({ method: "POST", status: 200, body: { name: "logged" } });
  expect(miss).toMatchObject({ status: 404, errorCode: 100119 });
  expect(create.seq).toBe(list.seq + 1);
  expect(create.endedAt!).toBeGreaterThanOrEqual(create.startedAt);
  expect(emu.requests.writes().map((e) => e.method)).toEqual(["POST"]);
  expect(emu.requests.count({ status: 404 })).toBe(1);
  expect(emu.requests.count({ path: /\/namespaces$/ })).toBe(2);
  expect(emu.requests.inFlight).toBe(0);
});
