/**
 * Name rules the emulator enforces, kept in one place because they are inferred [INF]: Cloudflare
 * documents no character/length rule for dispatch namespace names nor for the names of scripts
 * inside a namespace (error 10016 exists for invalid Worker names). Loosen or tighten here.
 */

export interface NameRule {
  maxLength: number;
  pattern: RegExp;
  /** Sentence used in the 10016 error message. */
  description: string;
}

/** [INF] Dispatch namespace names: 1–63 chars, lowercase letters, digits, '-' and '_', starting with a letter or digit. */
export const NAMESPACE_NAME_RULE: NameRule = {
  maxLength: 63,
  pattern: /^[a-z0-9][a-z0-9_-]*$/,
  description:
    "names must be 1-63 characters long, use only lowercase letters (a-z), digits (0-9), '-' and '_', and start with a letter or digit.",
};

/**
 * [INF] Script (Worker) names inside a dispatch namespace: the same shape as namespace names — 1–63
 * chars, lowercase letters, digits, '-' and '_', starting with a letter or digit (a DNS-label-like
 * name, close to wrangler's `^[a-z0-9_][a-z0-9-_]*$` for account-level Workers). Violations: 400 / 10016.
 */
export const SCRIPT_NAME_RULE: NameRule = {
  maxLength: 63,
  pattern: /^[a-z0-9][a-z0-9_-]*$/,
  description:
    "Worker names must be 1-63 characters long, use only lowercase letters (a-z), digits (0-9), '-' and '_', and start with a letter or digit.",
};

/**
 * [INF] Account-level Worker names (e.g. the dispatcher): wrangler's rule for normal Workers,
 * `^[a-z0-9_][a-z0-9-_]*$`, with the same 63-character cap. Violations: 400 / 10016.
 */
export const ACCOUNT_SCRIPT_NAME_RULE: NameRule = {
  maxLength: 63,
  pattern: /^[a-z0-9_][a-z0-9_-]*$/,
  description:
    "Worker names must be 1-63 characters long, use only lowercase letters (a-z), digits (0-9), '-' and '_', and start with a letter, digit or '_'.",
};

/** True when `name` satisfies `rule`. */
export function isValidName(name: string, rule: NameRule): boolean {
  return name.length >= 1 && name.length <= rule.maxLength && rule.pattern.test(name);
}
