/**
 * Which event handlers a Worker exports, by a simple scan of the entry module (Cloudflare reports
 * them as `handlers`, e.g. ["fetch", "scheduled"]): the top-level members of `export default {…}`
 * (or of `export default class … {…}`), or the events passed to `addEventListener("…")` in a
 * service worker. Only known handler names count; nothing found → ["fetch"]. Sorted.
 */
import { KNOWN_HANDLERS } from "./rules";

const DEFAULT_HANDLERS = ["fetch"];

export function detectHandlers(source: string, hasModules: boolean): string[] {
  const found = hasModules ? moduleHandlers(source) : serviceWorkerHandlers(source);
  return found.length > 0 ? found.sort() : [...DEFAULT_HANDLERS];
}

function serviceWorkerHandlers(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/addEventListener\(\s*["'`]([a-z]+)["'`]/g)) {
    if ((KNOWN_HANDLERS as readonly string[]).includes(m[1])) out.add(m[1]);
  }
  return [...out];
}

function moduleHandlers(source: string): string[] {
  const start = /export\s+default\s+(?:class\b[^{]*)?\{/.exec(source);
  if (!start) return [];
  const topLevel = topLevelText(source, start.index + start[0].length);
  return KNOWN_HANDLERS.filter((name) => new RegExp(`(?:^|[\\s{,;*])(?:async\\s+)?\\*?${name}\\s*[(:,}]`).test(topLevel));
}

/**
 * The text of the object/class body that opens just before `from`, with nested blocks, strings and
 * comments blanked out, so only depth-1 member names remain.
 */
function topLevelText(source: string, from: number): string {
  let depth = 1;
  let out = "";
  for (let i = from; i < source.length && depth > 0; i++) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const nl = source.indexOf("\n", i);
      i = nl < 0 ? source.length : nl - 1;
      continue;
    }
    if (c === "/" && next === "*") {
      const endComment = source.indexOf("*/", i + 2);
      i = endComment < 0 ? source.length : endComment + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(source, i, c);
      out += " ";
      continue;
    }
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
    if (depth === 1 || (depth === 2 && (c === "{" || c === "(")) || (depth === 0 && c === "}")) out += c;
  }
  return out;
}

function skipString(source: string, i: number, quote: string): number {
  for (let j = i + 1; j < source.length; j++) {
    if (source[j] === "\\") j++;
    else if (source[j] === quote) return j;
  }
  return source.length;
}
