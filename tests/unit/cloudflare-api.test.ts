/**
 * The one way the provider and the importer reach Cloudflare (provider/cloudflare/api.ts): lists read
 * page by page as the SDK's pagination walks them, only as far as the caller reads; a refusal in one
 * shape, Cloudflare's status, codes and messages with the request and its cf-ray id; and no provider
 * or importer module outside it loads the `cloudflare` SDK or sends a request of its own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { all, CloudflareApi } from "../../provider/cloudflare/api";
import * as kv from "../../provider/cloudflare/endpoints/kv-namespaces";
import * as namespaces from "../../provider/cloudflare/endpoints/dispatch-namespaces";
import { CloudflareApiError, describeFailure } from "../../provider/cloudflare/errors";
import { RequestPolicy, settingsFromEnvironment } from "../../provider/cloudflare/request-policy";

let emu: Emulator;
let api: CloudflareApi;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  api = new CloudflareApi(
    { kind: "token", apiToken: emu.apiToken, baseURL: emu.url },
    new RequestPolicy({ ...settingsFromEnvironment({}), maxRetries: 0, report: () => undefined }),
  );
});

const requested = () =>
  emu.requests.entries.map((e) => `${e.method} ${e.path.replace(`/accounts/${emu.accountId}`, "…")}${e.query ? `?${e.query}` : ""}`);

describe("paging", () => {
  // Six KV namespaces, five a page (Cloudflare's smallest KV page).
  const titles = ["a", "b", "c", "d", "e", "f"];

  it("asks page after page until one comes back empty, as the SDK's V4PagePaginationArray does", async () => {
    for (const title of titles) await kv.create({ api, accountId: emu.accountId }, title);
    emu.requests.clear();
    const listed = (await all(kv.list({ api, accountId: emu.accountId }, 5))).map((ns) => ns.title);
    expect(listed.sort()).toEqual(titles);
    expect(requested()).toEqual([
      "GET …/storage/kv/namespaces?per_page=5",
      "GET …/storage/kv/namespaces?per_page=5&page=2",
      "GET …/storage/kv/namespaces?per_page=5&page=3",
    ]);
  });

  it("asks for no further page once the caller stops reading", async () => {
    for (const title of titles) await kv.create({ api, accountId: emu.accountId }, title);
    emu.requests.clear();
    for await (const ns of kv.list({ api, accountId: emu.accountId }, 5)) if (ns.title) break;
    expect(requested()).toEqual(["GET …/storage/kv/namespaces?per_page=5"]);
  });
});

describe("a refusal", () => {
  it("carries the status, Cloudflare's code and message, the request and the cf-ray id, and is told with them", async () => {
    emu.faults.failNext(400, { method: "POST", code: 10021, message: "refused for the test" });
    const error = await namespaces.create({ api, accountId: emu.accountId }, "refused").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudflareApiError);
    const refusal = error as CloudflareApiError;
    expect(refusal).toMatchObject({
      status: 400,
      errors: [{ code: 10021, message: "refused for the test" }],
      request: `POST /accounts/${emu.accountId}/workers/dispatch/namespaces`,
    });
    expect(refusal.rayId).toMatch(/^[0-9a-f]+-\w+$/);
    expect(describeFailure("creating dispatch namespace 'refused'", error).message).toBe(
      `creating dispatch namespace 'refused': Cloudflare refused it (HTTP 400, code 10021): refused for the test. Cloudflare ray id ${refusal.rayId}`,
    );
  });
});

describe("the boundary", () => {
  const root = path.join(__dirname, "..", "..");
  const sources = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(relative);
      return entry.name.endsWith(".ts") ? [relative] : [];
    });
  const files = [...sources("provider"), ...sources("importer")];

  it("no provider or importer module loads the cloudflare SDK: they import only its types", () => {
    const loading = files.filter((file) =>
      /^import (?!type\b)[^;]*from "cloudflare[/"]|require\("cloudflare/m.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(files.length).toBeGreaterThan(20);
    expect(loading).toEqual([]);
  });

  it("only api.ts sends requests, with the request policy's fetch", () => {
    const fetching = files.filter((file) => /\bfetch\(/.test(fs.readFileSync(path.join(root, file), "utf8")));
    expect(fetching.sort()).toEqual([
      path.join("provider", "cloudflare", "api.ts"),
      path.join("provider", "cloudflare", "request-policy.ts"),
    ]);
  });
});
