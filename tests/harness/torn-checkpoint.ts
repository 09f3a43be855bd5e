/**
 * A `pulumi up` killed while the engine saves its state can leave the file backend's sidecar
 * `<stack>.json.attrs` empty: the blob library writes it in place before moving the new checkpoint
 * over the old one. The checkpoint itself is intact (the previous one), but every later command
 * fails with "failed to load checkpoint: EOF" until the empty sidecar is removed (a missing one is
 * read as no metadata). This is step 0 of docs/using/recovery.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Removes empty `.attrs` sidecars under a file backend's folder; returns what it removed. */
export function removeTornAttributes(backendDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".attrs") && fs.statSync(full).size === 0) {
        fs.rmSync(full);
        removed.push(full);
      }
    }
  };
  if (fs.existsSync(backendDir)) walk(backendDir);
  return removed;
}
