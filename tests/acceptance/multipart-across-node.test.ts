/**
 * The Worker upload is a multipart body the provider builds as bytes (provider/cloudflare/multipart.ts)
 * and hands to Node's own `fetch`, so what reaches Cloudflare could still change with the Node a user
 * runs. On every Node the package supports, the same uploads must reach Cloudflare byte for byte alike
 * (boundaries aside: each body draws its own), end with the close delimiter and one CRLF (RFC 2046
 * 5.1.1), and parse into exactly the parts the provider meant.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { multipartBoundary, parseMultipart } from "../../emulator/workers/multipart";
import { nodeExecutable, type NodeMajor } from "../../toolchain/node-runtime";
import { BINARY_MODULE, CONFIG, MIXED_BUNDLE, type UploadCapture } from "./harness/upload-capture";
import { workerMetadata } from "../../provider/workers/config";
import { repoRoot } from "./harness/paths";

jest.setTimeout(120_000);

const SUPPORTED: NodeMajor[] = [24, 22];

/** The capture program as `npm run build:dev` compiles it: each Node runs the same JavaScript. */
const CAPTURE_PROGRAM = path.join(repoRoot, "dist-dev", "tests", "acceptance", "harness", "upload-capture.js");

function captureOn(major: NodeMajor): UploadCapture {
  if (!fs.existsSync(CAPTURE_PROGRAM))
    throw new Error(`${CAPTURE_PROGRAM} is missing: run \`npm run build:dev\` first (npm test does it in pretest)`);
  const output = execFileSync(nodeExecutable(major), [CAPTURE_PROGRAM], {
    encoding: "utf8",
    env: { ...process.env, CLOUDFLARE_WFP_BUNDLE_CACHE: "off" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(output) as UploadCapture;
}

const CLOSE_DELIMITER = "--<boundary>--";

/**
 * A body with its boundary replaced by a fixed token (its Content-Type likewise), cut after the close
 * delimiter: the multipart body proper, and the epilogue after it.
 */
function normalized(request: UploadCapture["requests"][number]) {
  const boundary = multipartBoundary(request.contentType);
  if (!boundary) throw new Error(`not a multipart body: ${request.contentType}`);
  const body = Buffer.from(request.bodyBase64, "base64");
  const text = body.toString("latin1").split(boundary).join("<boundary>");
  const end = text.lastIndexOf(CLOSE_DELIMITER) + CLOSE_DELIMITER.length;
  return {
    contentType: request.contentType.split(boundary).join("<boundary>"),
    multipart: text.slice(0, end),
    epilogue: text.slice(end),
    parts: parseMultipart(body, boundary),
  };
}

const captures = new Map<NodeMajor, UploadCapture>();
beforeAll(() => {
  for (const major of SUPPORTED) captures.set(major, captureOn(major));
});

describe("the multipart Worker upload on every supported Node", () => {
  it("was captured once per Node version, each upload on its own request", () => {
    for (const major of SUPPORTED) {
      const capture = captures.get(major)!;
      expect(capture.node).toMatch(new RegExp(`^v${major}\\.`));
      expect(capture.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `PUT /client/v4/accounts/0123456789abcdef0123456789abcdef/workers/dispatch/namespaces/tenants/scripts/bundled`,
        `PUT /client/v4/accounts/0123456789abcdef0123456789abcdef/workers/dispatch/namespaces/tenants/scripts/mixed`,
      ]);
    }
  });

  it("is byte-identical across Node versions, once the boundary is set aside", () => {
    const [reference, ...others] = SUPPORTED.map((major) => captures.get(major)!.requests.map(normalized));
    for (const other of others) {
      expect(other.map(({ contentType, multipart, epilogue }) => ({ contentType, multipart, epilogue }))).toEqual(
        reference.map(({ contentType, multipart, epilogue }) => ({ contentType, multipart, epilogue })),
      );
    }
  });

  it("has nothing after the close delimiter but its CRLF", () => {
    for (const major of SUPPORTED) {
      expect([...new Set(captures.get(major)!.requests.map((r) => normalized(r).epilogue))]).toEqual(["\r\n"]);
    }
  });

  it("carries exactly the metadata and modules the provider built, binary bytes included", () => {
    for (const major of SUPPORTED) {
      const mixed = normalized(captures.get(major)!.requests[1]);
      expect(mixed.parts.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType }))).toEqual([
        { name: "metadata", filename: "metadata.json", contentType: "application/json" },
        ...MIXED_BUNDLE.modules.map((m) => ({ name: m.name, filename: m.name, contentType: m.contentType })),
      ]);
      expect(JSON.parse(mixed.parts[0].body.toString("utf8"))).toEqual(workerMetadata(CONFIG, MIXED_BUNDLE));
      expect(mixed.parts.slice(1).map((p) => [...p.body])).toEqual(MIXED_BUNDLE.modules.map((m) => [...m.content]));
      expect([...mixed.parts[2].body]).toEqual([...BINARY_MODULE]);
    }
  });
});
