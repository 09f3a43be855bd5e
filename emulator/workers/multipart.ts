/**
 * multipart/form-data (RFC 7578), read and written byte-exactly: the emulator records what a
 * client sent (part names, filenames, Content-Types, bytes), which a WHATWG `FormData` round trip
 * would blur (it invents `text/plain` for parts without a type and decodes fields as text).
 */
import { randomBytes } from "node:crypto";

export interface FormPart {
  /** `name` parameter of Content-Disposition. */
  name: string;
  /** `filename` (or RFC 5987 `filename*`) parameter; null for a plain field. */
  filename: string | null;
  /** The part's Content-Type header as sent; null when absent (RFC 7578 default: text/plain). */
  contentType: string | null;
  /** All part headers, lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** The media type without parameters, lower-cased: `"Text/JavaScript; charset=utf-8"` → `"text/javascript"`. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The boundary of a `multipart/form-data` Content-Type: undefined when the type is not
 * multipart/form-data, "" when it is but carries no boundary.
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (mediaType(contentType) !== "multipart/form-data") return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType!);
  return m ? (m[1] ?? m[2]) : "";
}

/** Parses a multipart/form-data body. Throws MultipartError (with a short reason) when it is malformed. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  if (!boundary || boundary.length > 200) throw new MultipartError("the Content-Type has no usable boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);

  // The first delimiter starts the body or a line (anything before it is preamble).
  let pos = body.indexOf(delimiter);
  while (pos > 0 && !(body[pos - 2] === 13 && body[pos - 1] === 10)) pos = body.indexOf(delimiter, pos + 1);
  if (pos < 0) throw new MultipartError("the body does not contain the boundary");
  pos += delimiter.length;

  const parts: FormPart[] = [];
  for (;;) {
    if (body[pos] === 45 && body[pos + 1] === 45) return parts; // "--": close delimiter
    while (body[pos] === 32 || body[pos] === 9) pos++; // transport padding
    if (!(body[pos] === 13 && body[pos + 1] === 10)) throw new MultipartError("malformed boundary line");
    pos += 2;

    let contentStart: number;
    let headerText: string;
    if (body[pos] === 13 && body[pos + 1] === 10) {
      headerText = ""; // a part without headers
      contentStart = pos + 2;
    } else {
      const headerEnd = body.indexOf(HEADER_END, pos);
      if (headerEnd < 0) throw new MultipartError("a part's headers are not terminated");
      headerText = body.subarray(pos, headerEnd).toString("utf8");
      contentStart = headerEnd + HEADER_END.length;
    }
    const end = body.indexOf(nextDelimiter, contentStart - 2);
    if (end < 0 || end < contentStart - 2) throw new MultipartError("the closing boundary is missing");
    // An empty part body: the delimiter's CRLF is the header block's last CRLF.
    const content = end < contentStart ? Buffer.alloc(0) : body.subarray(contentStart, end);
    parts.push(toPart(parseHeaders(headerText), content));
    pos = end + nextDelimiter.length;
  }
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split("\r\n")) {
    if (line === "") continue;
    if ((line[0] === " " || line[0] === "\t") && last) {
      headers[last] += ` ${line.trim()}`; // obsolete line folding
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MultipartError(`malformed part header line '${line.slice(0, 80)}'`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return headers;
}

function toPart(headers: Record<string, string>, body: Buffer): FormPart {
  const disposition = headers["content-disposition"];
  if (!disposition) throw new MultipartError("a part has no Content-Disposition header");
  const semi = disposition.indexOf(";");
  const kind = (semi < 0 ? disposition : disposition.slice(0, semi)).trim().toLowerCase();
  if (kind !== "form-data") throw new MultipartError(`a part's Content-Disposition is '${kind}', expected 'form-data'`);
  const params = dispositionParams(semi < 0 ? "" : disposition.slice(semi));
  if (params.name === undefined) throw new MultipartError("a part has no name");
  const filename = params["filename*"] !== undefined ? decodeExtValue(params["filename*"]) : params.filename;
  return { name: params.name, filename: filename ?? null, contentType: headers["content-type"] ?? null, headers, body };
}

function dispositionParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const key = m[1].toLowerCase();
    out[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3].trim();
  }
  return out;
}

/** RFC 5987 `UTF-8''a%20b` → `a b` (falls back to the raw text). */
function decodeExtValue(v: string): string {
  const m = /^([^']*)'[^']*'(.*)$/.exec(v);
  if (!m) return v;
  try {
    return decodeURIComponent(m[2]);
  } catch {
    return m[2];
  }
}

export interface OutgoingPart {
  name: string;
  filename?: string;
  contentType?: string;
  body: Buffer;
}

/** Serialises parts as multipart/form-data; returns the body and its Content-Type (with the boundary). */
export function encodeMultipart(parts: readonly OutgoingPart[]): { body: Buffer; contentType: string } {
  const boundary = `----cf-emulator-${randomBytes(12).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeParam(p.name)}"`;
    if (p.filename !== undefined) head += `; filename="${escapeParam(p.filename)}"`;
    head += "\r\n";
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), p.body, CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Quote-safe parameter value, the way browsers (and undici) write them. */
function escapeParam(v: string): string {
  return v.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
