/**
 * Values as TypeScript source, the way a person writes them: identifiers as bare keys, double-quoted
 * strings, short objects and lists on one line, longer ones one entry per line.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const LINE = 100;

/** A piece of code to place as is (a variable, a call), not as a value. */
export class Code {
  constructor(readonly text: string) {}
}

export const code = (text: string) => new Code(text);

export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** `value` as a TypeScript expression, indented for a line that starts with `indent`. */
export function literal(value: unknown, indent = ""): string {
  if (value instanceof Code) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => literal(item, inner))
    : Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${propertyKey(k)}: ${literal(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return `${open}${close}`;
  const oneLine = Array.isArray(value) ? `[${entries.join(", ")}]` : `{ ${entries.join(", ")} }`;
  if (!oneLine.includes("\n") && indent.length + oneLine.length <= LINE) return oneLine;
  return `${open}\n${entries.map((e) => `${inner}${e},`).join("\n")}\n${indent}${close}`;
}
