/**
 * The Worker uploads the provider sends, captured byte for byte on a local server: a bundled example
 * entrypoint and a bundle with a binary module, each with configuration in its metadata. The multipart
 * body is sent by the `fetch` of the Node.js that runs this, so running it on every supported Node
 * (node dist-dev/tests/acceptance/harness/upload-capture.js, built by `npm run build:dev`) shows whether the bytes Cloudflare receives depend on it.
 * Prints JSON: the Node version and, per request, its method, path, Content-Type and body (base64).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { ProviderContext } from "../../../provider/context";
import type { Credentials } from "../../../provider/cloudflare/credentials";
import type { WorkerBundle } from "../../../provider/workers/bundle";
import { buildCode } from "../../../provider/workers/code";
import { workerMetadata, type WorkerConfigInputs } from "../../../provider/workers/config";
import { uploadScript } from "../../../provider/workers/script-api";
import { repoRoot } from "../../../toolchain/repo-root";

export interface CapturedRequest {
  method: string;
  path: string;
  contentType: string;
  bodyBase64: string;
}

export interface UploadCapture {
  node: string;
  requests: CapturedRequest[];
}

const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";

/** Every byte value, so an encoder that treats a module as text would show. */
export const BINARY_MODULE = Uint8Array.from({ length: 256 }, (_, i) => i);

/** A bundle of several module types, one of them binary, and non-ASCII text. */
export const MIXED_BUNDLE: WorkerBundle = {
  mainModule: "worker.js",
  modules: [
    {
      name: "worker.js",
      contentType: "application/javascript+module",
      content: new TextEncoder().encode('import wasm from "./add.wasm";\nexport default { fetch: () => new Response("héllo ✓ 🌍") };\n'),
    },
    { name: "add.wasm", contentType: "application/wasm", content: BINARY_MODULE },
    { name: "notes.txt", contentType: "text/plain", content: new TextEncoder().encode("línea\r\nzweite Zeile\n") },
  ],
  contentHash: "mixed",
};

export const CONFIG: WorkerConfigInputs = {
  compatibilityDate: "2025-01-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: { GREETING: { type: "plain_text", text: "grüß dich" } },
  secretBindings: { API_KEY: { type: "secret_text", text: "s3cr3t-✓" } },
  tags: ["tenant:a", "plan:pro"],
  limits: { cpuMs: 50 },
};

async function capture(): Promise<UploadCapture> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method!,
        path: req.url!,
        contentType: req.headers["content-type"] ?? "",
        bodyBase64: Buffer.concat(chunks).toString("base64"),
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: true, errors: [], messages: [], result: { id: "captured" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const credentials: Credentials = { kind: "token", apiToken: "capture", baseURL: `http://127.0.0.1:${port}/client/v4` };
    const context = new ProviderContext();
    const session = { api: context.api(credentials), accountId: ACCOUNT_ID, context };
    const bundled = await buildCode(context.caches.code, { entrypoint: "src/router.ts" }, path.join(repoRoot, "examples", "router"));
    for (const [scriptName, bundle] of [
      ["bundled", bundled],
      ["mixed", MIXED_BUNDLE],
    ] as const) {
      await uploadScript(session, { namespace: "tenants", scriptName }, workerMetadata(CONFIG, bundle), bundle);
    }
  } finally {
    server.close();
  }
  return { node: process.version, requests };
}

if (require.main === module) {
  capture().then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
