/**
 * Names in the generated program: camelCase variables and config keys derived from Cloudflare's
 * names (`customer-a` → `customerA`), each unique, never a reserved word or a name the program
 * itself uses.
 */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "implements import in instanceof interface let new null package private protected public return static super switch this " +
    "throw true try typeof var void while with yield await arguments eval undefined"
  ).split(" "),
);

/** `customer-a.v2` → `customerAV2`; a name without letters, or starting with a digit, gets `fallback` in front. */
export function camelCase(name: string, fallback: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((w, i) => {
      const lower = /^[A-Z0-9]+$/.test(w) ? w.toLowerCase() : w; // API_KEY → apiKey, not aPIKEY
      return i === 0 ? lower.charAt(0).toLowerCase() + lower.slice(1) : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
  if (joined === "" || /^[0-9]/.test(joined)) return fallback + joined.charAt(0).toUpperCase() + joined.slice(1);
  return joined;
}

/** Hands out unique names: the second `customerA` is `customerA2`, and so on. */
export class NameAllocator {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set([...RESERVED, ...reserved]);
  }

  take(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}
