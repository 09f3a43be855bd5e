/**
 * What a Worker script's diff compares, shared by every script resource: which inputs replace it,
 * which re-upload it, and which are bookkeeping only. Lists and maps that are absent equal empty
 * ones, so `tags: []` and no tags are the same script.
 */
import { isUnknown } from "../framework/unknowns";
import type { WorkerConfigInputs } from "./config";

/** Inputs whose change re-uploads the script (one PUT); `contentHash` stands for the code. */
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
] as const satisfies ReadonlyArray<keyof WorkerConfigInputs | "contentHash">;

/** Inputs kept in state for later operations, changed without calling Cloudflare (inline code is `contentHash`'s). */
export const BOOKKEEPING_KEYS = ["apiToken", "apiKey", "email", "entrypoint"] as const;

const EMPTY_WHEN_ABSENT: Record<string, unknown> = {
  compatibilityFlags: [],
  tags: [],
  bindings: {},
  secretBindings: {},
  keepBindings: [],
};

/** Canonical JSON (sorted keys), absent lists and maps as empty ones. */
function canonical(key: string, value: unknown): string {
  const v = value === undefined || value === null ? EMPTY_WHEN_ABSENT[key] : value;
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  ) ?? "undefined";
}

export function sameValue(key: string, olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (isUnknown(news[key])) return false;
  return canonical(key, olds[key]) === canonical(key, news[key]);
}

/** The keys among `keys` whose value differs between the old state and the new inputs. */
export function changedKeys(keys: readonly string[], olds: object, news: object): string[] {
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  return keys.filter((key) => !sameValue(key, o, n));
}
