/**
 * What a Worker script's diff compares, shared by every script resource: which inputs replace it,
 * which re-upload it, and which are bookkeeping only. Lists and maps that are absent equal empty
 * ones, so `tags: []` and no tags are the same script (the comparison itself: framework/diff.ts).
 */
import { changedKeys as changedFrameworkKeys } from "../framework/diff";
import type { WorkerConfigInputs } from "./config";

/** Inputs whose change re-uploads the script (one PUT); `contentHash` stands for the code, `assetsHash` for the assets' files. */
export const UPLOAD_KEYS = [
  "contentHash",
  "compatibilityDate",
  "compatibilityFlags",
  "bindings",
  "secretBindings",
  "tags",
  "limits",
  "usageModel",
  "placement",
  "observability",
  "logpush",
  "keepBindings",
  "migrations",
  "assets",
  "assetsHash",
] as const satisfies ReadonlyArray<keyof WorkerConfigInputs | "contentHash" | "assets" | "assetsHash">;

/**
 * The upload keys Cloudflare's settings report back (everything but the code, the assets, the
 * migrations and the keep list): what refresh reads, an import inherits and a take-over compares.
 */
export const REPORTED_KEYS = UPLOAD_KEYS.filter(
  (key): key is Exclude<(typeof UPLOAD_KEYS)[number], "contentHash" | "keepBindings" | "migrations" | "assets" | "assetsHash"> =>
    !["contentHash", "keepBindings", "migrations", "assets", "assetsHash"].includes(key),
);

/** Inputs kept in state for later operations, changed without calling Cloudflare (inline code is `contentHash`'s). */
export const BOOKKEEPING_KEYS = ["apiToken", "apiKey", "email", "entrypoint", "bundle"] as const;

/**
 * A script without tags, flags or bindings is the same script as one with empty ones: an upload
 * sends them as empty when undeclared. The one place this rule lives, for diffs, fleet fingerprints
 * and taking over a script without an upload.
 */
export const EMPTY_WHEN_ABSENT: Readonly<Record<string, unknown>> = {
  compatibilityFlags: [],
  tags: [],
  bindings: {},
  secretBindings: {},
  keepBindings: [],
};

/** The script inputs among `keys` whose value differs between the old state and the new inputs. */
export function changedKeys(keys: readonly string[], olds: object, news: object): string[] {
  return changedFrameworkKeys(keys, olds, news, EMPTY_WHEN_ABSENT);
}
