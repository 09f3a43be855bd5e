/**
 * Secret values stay secret: after uploading secrets every way the API takes them, no API answer,
 * control answer or file in the data directory holds a value (plain, base64 or base64url), while the
 * in-process state (what the edge runs Workers with) still has them, also after a restart.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { JOURNAL_FILE, journalLine } from "../../emulator/persistence/journal-file";
import { SECRET_KEY_FILE } from "../../emulator/secret-seal";
import { control } from "./helpers";
import { workerForm } from "./script-helpers";

const NS = "tenants";
const VALUES = {
  upload: "upload-secret-7f3a",
  put: "put-secret-91bc",
  bulk: "bulk-secret-c0de",
  refused: "refused-secret-5e5e",
  account: "account-secret-d15p",
  keyRaw: "hmac-key-material-42",
  jwk: "jwk-k-value-a1b2c3",
};

/** Every way a value could be written down: as is, base64, base64url. */
function encodings(value: string): string[] {
  const b = Buffer.from(value);
  return [value, b.toString("base64").replace(/=+$/, ""), b.toString("base64url")];
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function send(emu: Emulator, method: string, apiPath: string, body: FormData | object): Promise<{ status: number; text: string }> {
  const isForm = body instanceof FormData;
  const res = await fetch(`${emu.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${emu.apiToken}`, ...(isForm ? {} : { "content-type": "application/json" }) },
    body: isForm ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Uploads secrets every way the API takes them; returns every answer's text. */
async function uploadSecrets(emu: Emulator): Promise<string[]> {
  const a = `/accounts/${emu.accountId}`;
  const tenant = `${a}/workers/dispatch/namespaces/${NS}/scripts/t`;
  const key = { algorithm: { name: "HMAC", hash: "SHA-256" }, usages: ["sign", "verify"] };
  const answers = [
    await send(emu, "POST", `${a}/workers/dispatch/namespaces`, { name: NS }),
    await send(
      emu,
      "PUT",
      tenant,
      workerForm({ main_module: "index.js", bindings: [{ type: "secret_text", name: "UP", text: VALUES.upload }] }),
    ),
    await send(emu, "PUT", `${tenant}/secrets`, { name: "PUT", type: "secret_text", text: VALUES.put }),
    await send(emu, "PATCH", `${tenant}/secrets-bulk`, { secrets: { BULK: { type: "secret_text", text: VALUES.bulk } } }),
    await send(emu, "PUT", `${tenant}/secrets`, {
      name: "RAW",
      type: "secret_key",
      format: "raw",
      key_base64: Buffer.from(VALUES.keyRaw).toString("base64"),
      ...key,
    }),
    await send(emu, "PUT", `${tenant}/secrets`, {
      name: "JWK",
      type: "secret_key",
      format: "jwk",
      key_jwk: { kty: "oct", k: VALUES.jwk },
      ...key,
    }),
    await send(emu, "PUT", `${tenant}/secrets`, { name: "NOPE", text: VALUES.refused }),
    await send(
      emu,
      "PUT",
      `${a}/workers/scripts/dispatcher`,
      workerForm({ main_module: "index.js", bindings: [{ type: "secret_text", name: "A", text: VALUES.account }] }),
    ),
    await send(emu, "PUT", `${a}/workers/scripts/dispatcher/secrets`, { name: "B", type: "secret_text", text: VALUES.put }),
  ];
  expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 200, 400, 200, 200]);
  return answers.map((x) => x.text);
}

/** Every read the API and the control endpoints offer about those Workers. */
async function readEverything(emu: Emulator): Promise<string[]> {
  const a = `/accounts/${emu.accountId}`;
  const tenant = `${a}/workers/dispatch/namespaces/${NS}/scripts/t`;
  const dispatcher = `${a}/workers/scripts/dispatcher`;
  const get = async (p: string) => {
    const res = await fetch(p.startsWith("http") ? p : `${emu.url}${p}`, { headers: { authorization: `Bearer ${emu.apiToken}` } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const versions = JSON.parse(await get(`${dispatcher}/versions`)).result.items as Array<{ id: string }>;
  const paths = [
    tenant,
    `${tenant}/content`,
    `${tenant}/settings`,
    `${tenant}/bindings`,
    `${tenant}/secrets`,
    `${tenant}/secrets/UP`,
    `${tenant}/secrets/RAW`,
    `${tenant}/secrets/JWK`,
    `${a}/workers/dispatch/namespaces/${NS}/scripts`,
    dispatcher,
    `${dispatcher}/settings`,
    `${dispatcher}/secrets`,
    `${dispatcher}/deployments`,
    `${dispatcher}/versions`,
    ...versions.map((v) => `${dispatcher}/versions/${v.id}`),
    ...versions.map((v) => `${dispatcher}/content/v2?version=${v.id}`),
  ];
  const controls = await Promise.all(["/state", "/requests", "/faults", "/rate-limit"].map((p) => control(emu, "GET", p)));
  return [...(await Promise.all(paths.map(get))), ...controls.map((c) => JSON.stringify(c.json))];
}

function expectNoValueIn(texts: string[], where: string): void {
  for (const [name, value] of Object.entries(VALUES)) {
    for (const form of encodings(value)) {
      const hit = texts.findIndex((t) => t.includes(form));
      if (hit >= 0) throw new Error(`${where} #${hit} shows the ${name} secret (${form})`);
    }
  }
}

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-emu-secrets-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("no API answer, control answer or file in the data directory shows a secret's value", async () => {
  const emu = await startEmulator({ dataDir: dir });
  try {
    expectNoValueIn(await uploadSecrets(emu), "upload answer");
    expectNoValueIn(await readEverything(emu), "read answer");
    expectNoValueIn(
      filesUnder(dir).map((f) => fs.readFileSync(f, "utf8")),
      "data file",
    );
    // The edge still gets them: the in-process state keeps the values.
    const bindings = emu.state.script(NS, "t")!.bindings;
    expect(bindings.find((b) => b.name === "UP")!.text).toBe(VALUES.upload);
    expect(bindings.find((b) => b.name === "JWK")!.key_jwk).toEqual({ kty: "oct", k: VALUES.jwk });
    // What was sent is recorded without them.
    expect(emu.state.script(NS, "t")!.metadata).toEqual({ main_module: "index.js", bindings: [{ type: "secret_text", name: "UP" }] });
  } finally {
    await emu.close();
  }
});

/** The records of the state journal on disk, as written (`{ k, v }` per unit, `{ c }` per commit). */
function journalRecords(dir: string): Array<{ k?: string; v?: unknown }> {
  const lines = fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8").split("\n").filter(Boolean);
  return lines.map((l) => JSON.parse(l.slice(l.indexOf(" ") + 1)));
}

it("the state journal keeps the values sealed with a 0600 key beside it; a restart opens them", async () => {
  const first = await startEmulator({ dataDir: dir });
  await uploadSecrets(first);
  const before = first.state.script(NS, "t")!.bindings;
  await first.close();

  const written = journalRecords(dir).filter((r) => r.k !== undefined && JSON.parse(r.k)[0] === "ns-script");
  expect(written.length).toBeGreaterThan(0);
  for (const record of written) {
    const stored = (record.v as { bindings: Array<{ name: string }> }).bindings.find((b) => b.name === "UP");
    expect(stored).toEqual({ type: "secret_text", name: "UP", text: { sealed: expect.stringMatching(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/) } });
  }
  for (const file of [JOURNAL_FILE, SECRET_KEY_FILE]) expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);

  const second = await startEmulator({ dataDir: dir });
  try {
    expect(second.state.script(NS, "t")!.bindings).toEqual(before);
    expect(second.state.accountScript("dispatcher")!.bindings.map((b) => b.text)).toEqual([VALUES.account, VALUES.put]);
  } finally {
    await second.close();
  }
});

it("refuses to start when a sealed value was edited or the key is another one, naming the key file", async () => {
  const first = await startEmulator({ dataDir: dir });
  await uploadSecrets(first);
  await first.close();

  const file = path.join(dir, JOURNAL_FILE);
  const text = fs.readFileSync(file, "utf8");
  // Another authentication tag for the first sealed value: as if someone edited it (and fixed the line's check).
  const edited = text
    .split("\n")
    .map((l) => {
      const json = l.slice(l.indexOf(" ") + 1);
      const tampered = json.replace(
        /"sealed":"v1\.([\w-]+)\.([\w-]+)\./,
        (_m, iv: string, tag: string) => `"sealed":"v1.${iv}.${tag.startsWith("A") ? "B" : "A"}${tag.slice(1)}.`,
      );
      return tampered === json ? l : journalLine(tampered).trimEnd();
    })
    .join("\n");
  expect(edited).not.toBe(text);
  fs.writeFileSync(file, edited);
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/cannot open a sealed secret value with .*secrets\.key/);

  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, SECRET_KEY_FILE), `${"ab".repeat(32)}\n`);
  await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/cannot open a sealed secret value/);
});

it("a request log entry of a secrets call keeps the name and type, not the value", async () => {
  const emu = await startEmulator();
  try {
    await uploadSecrets(emu);
    const bodies = (await control(emu, "GET", "/requests")).json.result.entries
      .filter((e: { path: string }) => /\/secrets(-bulk)?$/.test(e.path))
      .map((e: { body: unknown }) => e.body);
    expect(bodies).toContainEqual({ name: "PUT", type: "secret_text" });
    expect(bodies).toContainEqual({ secrets: { BULK: { type: "secret_text" } } });
    expect(bodies).toContainEqual({ name: "NOPE" });
  } finally {
    await emu.close();
  }
});

it("confirms a secret's value over the control endpoint without showing it", async () => {
  const emu = await startEmulator();
  try {
    await uploadSecrets(emu);
    const match = async (where: Record<string, string>, value: unknown) =>
      (await control(emu, "POST", "/secret-match", { ...where, value })).json.result;
    expect(await match({ namespace: NS, script: "t", name: "PUT" }, VALUES.put)).toEqual({ matches: true });
    expect(await match({ namespace: NS, script: "t", name: "JWK" }, { kty: "oct", k: VALUES.jwk })).toEqual({ matches: true });
    expect(await match({ script: "dispatcher", name: "A" }, VALUES.account)).toEqual({ matches: true });
    expect(await match({ namespace: NS, script: "t", name: "PUT" }, "a guess")).toEqual({ matches: false });
    expect(await match({ namespace: NS, script: "missing", name: "PUT" }, VALUES.put)).toEqual({ matches: false });
    expect((await control(emu, "POST", "/secret-match", { name: "PUT" })).json.errors[0].code).toBe(10026);
  } finally {
    await emu.close();
  }
});
