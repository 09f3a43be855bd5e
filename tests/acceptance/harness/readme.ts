/** The README's code as a user copies it: the first ```ts block under one of its headings. */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./paths";

/** `heading` is the whole heading line, e.g. "## Use"; a missing heading or block fails the spec. */
export function readmeTsBlock(heading: string): string {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading ${heading}`);
  const block = /```ts\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md has no \`\`\`ts block under ${heading}`);
  return block[1];
}
