/**
 * A multipart/form-data body (RFC 7578) built as one byte array: what a script upload and an asset
 * bucket upload send (Workers docs, "Upload Worker Module": a `metadata` part and a part per module;
 * "Direct Uploads": a part per file). Each part is a file part, as the native FormData would send it:
 * `Content-Disposition: form-data; name="…"; filename="…"` and its own Content-Type, with `"`, CR and LF
 * in names escaped as %22, %0D and %0A (the WHATWG HTML multipart/form-data encoding algorithm).
 *
 * Why not FormData: fetch streams a FormData part by part through Blobs and web streams. Sending 3,000
 * small uploads to a local server cost 3.2-5.4 s of CPU with FormData against 2.2 s with the same bytes
 * as one array (one Node 24 process, server included), and a fleet's `up` sends one upload per tenant.
 */
import { randomBytes } from "node:crypto";

export interface FilePart {
  /** The form field's name: `metadata`, a module's name, or an asset's hash. */
  name: string;
  filename: string;
  contentType: string;
  content: Uint8Array | string;
}

export class MultipartBody {
  /** `multipart/form-data; boundary=…`, the request's Content-Type. */
  readonly contentType: string;
  readonly bytes: Uint8Array<ArrayBuffer>;

  constructor(parts: readonly FilePart[], boundary = `----cloudflare-wfp-${randomBytes(16).toString("hex")}`) {
    this.contentType = `multipart/form-data; boundary=${boundary}`;
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(part.name)}"; filename="${escapeName(part.filename)}"\r\n` +
            `Content-Type: ${part.contentType}\r\n\r\n`,
        ),
        typeof part.content === "string" ? Buffer.from(part.content) : part.content,
        Buffer.from("\r\n"),
      );
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    this.bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      this.bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
}

function escapeName(name: string): string {
  return name.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
}
