/**
 * Syntax check for service-worker (classic script) code, the way Cloudflare's validator reports
 * it: `Uncaught SyntaxError: <V8 message>\n  at <file>:<line>:<column>` (400 / 10021; wording as
 * seen from the real API in cloudflare-typescript issue #2799, column 0-based like V8's). Node's
 * `vm.Script` compiles without running anything and gives V8's own message. ES modules are not
 * checked: Node 20 has no flag-free module parser.
 */
import * as vm from "node:vm";

/** The validator message for `source` named `filename`, or undefined when it compiles. */
export function classicScriptSyntaxError(source: string, filename: string): string | undefined {
  try {
    new vm.Script(source, { filename });
    return undefined;
  } catch (err) {
    const e = err as Error;
    if (!e || e.name !== "SyntaxError") return undefined;
    const { line, column } = errorLocation(e, filename);
    return `Uncaught SyntaxError: ${e.message}\n  at ${filename}:${line}:${column}`;
  }
}

/**
 * Node decorates a vm SyntaxError's stack with `<file>:<line>`, the source line and a caret line
 * (`    ^^^^`); the caret's offset is V8's 0-based start column.
 */
function errorLocation(e: Error, filename: string): { line: number; column: number } {
  const lines = String(e.stack ?? "").split("\n");
  const head = lines[0] ?? "";
  const line = head.startsWith(`${filename}:`) ? Number(head.slice(filename.length + 1)) : NaN;
  const caret = lines[2]?.indexOf("^") ?? -1;
  return { line: Number.isInteger(line) && line > 0 ? line : 1, column: caret >= 0 ? caret : 0 };
}
