/**
 * A parser for RFC 8941 (Structured Field Values for HTTP) Lists, the format of Cloudflare's
 * `Ratelimit` and `Ratelimit-Policy` headers: `"default";r=50;t=30, "ip";r=9;t=1`. Only what those
 * headers can hold: items that are strings, tokens, numbers or booleans, with parameters. As RFC 8941
 * §4.2 asks, a field that does not parse is ignored as a whole (undefined), never half-read.
 */
export type BareItem = string | number | boolean;

export interface ListItem {
  value: BareItem;
  params: Record<string, BareItem>;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  skip(chars: RegExp): void {
    while (!this.done && chars.test(this.peek())) this.pos++;
  }
  take(pattern: RegExp): string | undefined {
    const m = pattern.exec(this.text.slice(this.pos));
    if (!m || m.index !== 0) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
}

class ParseError extends Error {}

function fail(): never {
  throw new ParseError();
}

function bareItem(c: Cursor): BareItem {
  const ch = c.peek();
  if (ch === '"') return sfString(c);
  if (ch === "?") {
    const b = c.take(/^\?[01]/) ?? fail();
    return b === "?1";
  }
  const number = c.take(/^-?\d{1,15}(\.\d{1,3})?/);
  if (number !== undefined) return Number(number);
  // Tokens start with ALPHA or "*", then tchar / ":" / "/".
  return c.take(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/) ?? fail();
}

function sfString(c: Cursor): string {
  c.pos++; // opening quote
  let out = "";
  for (;;) {
    if (c.done) fail();
    const ch = c.text[c.pos++];
    if (ch === '"') return out;
    if (ch === "\\") {
      const escaped = c.text[c.pos++];
      if (escaped !== '"' && escaped !== "\\") fail();
      out += escaped;
    } else if (ch < " " || ch > "~") {
      fail();
    } else {
      out += ch;
    }
  }
}

function parameters(c: Cursor): Record<string, BareItem> {
  const params: Record<string, BareItem> = {};
  while (c.peek() === ";") {
    c.pos++;
    c.skip(/ /);
    const key = c.take(/^[a-z*][a-z0-9_\-.*]*/) ?? fail();
    let value: BareItem = true;
    if (c.peek() === "=") {
      c.pos++;
      value = bareItem(c);
    }
    params[key] = value;
  }
  return params;
}

/** The members of a List field (several header lines joined with ", " are one list), or undefined. */
export function parseList(field: string | null | undefined): ListItem[] | undefined {
  if (field === null || field === undefined) return undefined;
  const c = new Cursor(field);
  const items: ListItem[] = [];
  try {
    c.skip(/[ \t]/);
    while (!c.done) {
      if (c.peek() === "(") fail(); // inner lists: not used by these headers
      const value = bareItem(c);
      items.push({ value, params: parameters(c) });
      c.skip(/[ \t]/);
      if (c.done) break;
      if (c.peek() !== ",") fail();
      c.pos++;
      c.skip(/[ \t]/);
      if (c.done) fail(); // a trailing comma
    }
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
  return items;
}
