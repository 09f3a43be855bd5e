/** The documentation's code as a user copies it: the first ```ts block under one of a markdown file's headings. */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./paths";

/**
 * `file` is relative to the repository (e.g. "docs/using/fleet.md"), `heading` the whole heading line
 * (e.g. "## Use"); a missing heading or block fails the spec.
 */
export function docTsBlock(file: string, heading: string): string {
  const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const at = `\n${text}`.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`${file} has no heading ${heading}`);
  const block = /```ts\n([\s\S]*?)\n```/.exec(text.slice(at));
  if (!block) throw new Error(`${file} has no \`\`\`ts block under ${heading}`);
  return block[1];
}

/** The same, in README.md. */
export function readmeTsBlock(heading: string): string {
  return docTsBlock("README.md", heading);
}
