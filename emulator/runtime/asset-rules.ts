/**
 * A Worker's `_headers` and `_redirects` (sent as `assets.config._headers` / `._redirects`, the files'
 * text), parsed and matched as Cloudflare documents them for Workers static assets (SOURCES.md §11):
 * path patterns with one `*` splat and `:placeholder`s (a placeholder stops at '/'), absolute
 * `https://host/path` patterns matched against the request's host, `! Name` to detach a header,
 * redirects with 301/302/303/307/308 or 200 (proxy to a path of the site), and the documented limits.
 * Lines that break the format, or come after a limit, are ignored, as documented. Plain data, no workerd.
 */

/** Documented limits (Workers docs, Static Assets → Headers / Redirects). */
export const MAX_HEADER_RULES = 100;
export const MAX_HEADER_LINE = 2000;
export const MAX_STATIC_REDIRECTS = 2000;
export const MAX_DYNAMIC_REDIRECTS = 100;
export const MAX_REDIRECT_LINE = 1000;
/** The documented codes; 302 when none is given. */
export const REDIRECT_STATUSES = [200, 301, 302, 303, 307, 308] as const;

export interface HeaderRule {
  pattern: string;
  /** Lower-cased name → value (a name given twice in one rule: values joined by ", "). */
  set: Record<string, string>;
  /** Lower-cased names to remove (`! Name`). */
  unset: string[];
}

export interface RedirectRule {
  pattern: string;
  to: string;
  status: (typeof REDIRECT_STATUSES)[number];
}

export interface ParsedRedirects {
  /** Exact paths (no splat or placeholder): looked up first. */
  static: Map<string, RedirectRule>;
  /** Patterns with a splat or placeholder, in file order: the first match applies. */
  dynamic: RedirectRule[];
}

const PLACEHOLDER = /:([A-Za-z]\w*)/g;
const isDynamic = (pattern: string) => pattern.includes("*") || /:[A-Za-z]/.test(pattern);
/** A pattern is a path, or an absolute https URL (its port and protocol are not matched). */
const isPattern = (token: string) => token.startsWith("/") || /^https:\/\/[^/]+\//.test(token);

function lines(text: string, max: number): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#") && l.length <= max);
}

/** `_headers`: blocks of a pattern line and indented `Name: value` / `! Name` lines; at most 100 rules. */
export function parseHeaders(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  let rule: HeaderRule | undefined;
  const close = () => {
    if (rule && (Object.keys(rule.set).length > 0 || rule.unset.length > 0)) rules.push(rule);
    rule = undefined;
  };
  for (const line of lines(text, MAX_HEADER_LINE)) {
    if (isPattern(line)) {
      close();
      if (rules.length >= MAX_HEADER_RULES) break; // the rest of the file is ignored
      rule = { pattern: line, set: {}, unset: [] };
    } else if (rule && line.startsWith("! ")) {
      rule.unset.push(line.slice(2).trim().toLowerCase());
    } else if (rule && line.includes(":")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "" || /\s/.test(name) || value === "") continue;
      rule.set[name] = rule.set[name] === undefined ? value : `${rule.set[name]}, ${value}`;
    }
  }
  close();
  return rules;
}

/**
 * `_redirects`: `source destination [code]` per line; the first rule for a source wins; static rules
 * count until the first dynamic one (later ones count as dynamic); at most 2,000 static and 100 dynamic.
 */
export function parseRedirects(text: string): ParsedRedirects {
  const parsed: ParsedRedirects = { static: new Map(), dynamic: [] };
  const seen = new Set<string>();
  let staticAllowed = true;
  for (const line of lines(text, MAX_REDIRECT_LINE)) {
    let tokens = line.split(/\s+/);
    const comment = tokens.findIndex((t, i) => i >= 2 && t.startsWith("#"));
    if (comment !== -1) tokens = tokens.slice(0, comment);
    if (tokens.length < 2 || tokens.length > 3) continue;
    const [pattern, to, code = "302"] = tokens;
    const status = Number(code) as RedirectRule["status"];
    if (!isPattern(pattern) || !(REDIRECT_STATUSES as readonly number[]).includes(status)) continue;
    // Proxying serves another path of the same site: never an external URL.
    if (status === 200 && !to.startsWith("/")) continue;
    if (seen.has(pattern)) continue;
    const dynamic = !staticAllowed || isDynamic(pattern);
    if (dynamic) {
      staticAllowed = false;
      if (parsed.dynamic.length >= MAX_DYNAMIC_REDIRECTS) break; // the rest of the file is ignored
      parsed.dynamic.push({ pattern, to, status });
    } else {
      if (parsed.static.size >= MAX_STATIC_REDIRECTS) continue;
      parsed.static.set(pattern, { pattern, to, status });
    }
    seen.add(pattern);
  }
  return parsed;
}

/** One part of a pattern as a regular expression: `*` the splat (greedy), `:name` up to a character of `stop`. */
function patternSource(part: string, stop: string, splat: { used: boolean }): string {
  return part
    .split("*")
    .map((piece) => piece.replace(/[-/\\^$+?.()|[\]{}]/g, "\\$&").replace(PLACEHOLDER, (_m, name: string) => `(?<${name}>[^${stop}]+)`))
    .reduce((source, piece, i) => {
      if (i === 0) return piece;
      const group = splat.used ? ".*" : "(?<splat>.*)"; // one splat is captured, as documented
      splat.used = true;
      return source + group + piece;
    }, "");
}

/** The splat and placeholders `pattern` captures from the request, or undefined when it does not match. */
export function matchPattern(pattern: string, url: URL): Record<string, string> | undefined {
  const splat = { used: false };
  let source: string;
  let subject = url.pathname;
  if (pattern.startsWith("https://")) {
    // The host's placeholders stop at '.' or '/', the path's at '/'.
    const pathStart = pattern.indexOf("/", "https://".length);
    source = `https://${patternSource(pattern.slice("https://".length, pathStart), "/.", splat)}${patternSource(pattern.slice(pathStart), "/", splat)}`;
    subject = `https://${url.hostname}${url.pathname}`;
  } else {
    source = patternSource(pattern, "/", splat);
  }
  try {
    const found = new RegExp(`^${source}$`).exec(subject);
    return found ? { ...found.groups } : undefined;
  } catch {
    return undefined; // a placeholder named twice: the rule never matches
  }
}

/** `text` with each `:name` it captured replaced (one the pattern did not capture stays as written). */
export function substitute(text: string, captured: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => captured[name] ?? whole);
}

/** The redirect that applies to the request: an exact path first, then the first dynamic rule that matches. */
export function findRedirect(redirects: ParsedRedirects, url: URL): { status: RedirectRule["status"]; to: string } | undefined {
  const exact = redirects.static.get(`https://${url.hostname}${url.pathname}`) ?? redirects.static.get(url.pathname);
  if (exact) return { status: exact.status, to: exact.to };
  for (const rule of redirects.dynamic) {
    const captured = matchPattern(rule.pattern, url);
    if (captured) return { status: rule.status, to: substitute(rule.to, captured) };
  }
  return undefined;
}

/**
 * The Location of a redirect: a path of the same site keeps the request's query unless the rule
 * gives one; an external URL is sent as written (with the request's query when it has none).
 */
export function redirectLocation(to: string, url: URL): string {
  const target = new URL(to, url);
  const search = target.search || url.search;
  if (target.origin === url.origin) return `${target.pathname.replace(/\/+/g, "/")}${search}${target.hash}`;
  return `${target.origin}${target.pathname}${search}${target.hash}`;
}

/**
 * The response headers (lower-case names) after every rule matching the request, in file order:
 * `! Name` detaches; the first rule setting a name replaces its value, later ones append (", ").
 */
export function applyHeaders(rules: readonly HeaderRule[], url: URL, headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  const setHere = new Set<string>();
  for (const rule of rules) {
    const captured = matchPattern(rule.pattern, url);
    if (!captured) continue;
    for (const name of rule.unset) delete out[name];
    for (const [name, value] of Object.entries(rule.set)) {
      const filled = substitute(value, captured);
      out[name] = setHere.has(name) ? `${out[name]}, ${filled}` : filled;
      setHere.add(name);
    }
  }
  return out;
}

/** Parsed files by their text, so a script's rules are parsed once rather than per request. */
function memoized<T>(parse: (text: string) => T): (text: unknown) => T | undefined {
  const cache = new Map<string, T>();
  return (text) => {
    if (typeof text !== "string") return undefined;
    let parsed = cache.get(text);
    if (parsed === undefined) {
      if (cache.size >= 100) cache.clear();
      cache.set(text, (parsed = parse(text)));
    }
    return parsed;
  };
}

/** `assets.config._headers` / `._redirects` parsed (undefined when the config has none). */
export const headerRulesOf = memoized(parseHeaders);
export const redirectRulesOf = memoized(parseRedirects);
