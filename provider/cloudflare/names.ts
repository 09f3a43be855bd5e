/**
 * Naming rules Cloudflare applies, checked at `preview` so a bad name fails before anything is created.
 * Cloudflare does not document the dispatch-namespace rule; this is the rule the emulator enforces
 * (lowercase letters, digits, '-' and '_', at most 63 characters). Keep both in step.
 */
export const NAMESPACE_NAME = {
  pattern: /^[a-z0-9][a-z0-9_-]*$/,
  maxLength: 63,
  rule: "must be 1-63 characters of lowercase letters, digits, '-' and '_', starting with a letter or digit",
};

export function namespaceNameProblem(name: string): string | undefined {
  if (name.length > NAMESPACE_NAME.maxLength || !NAMESPACE_NAME.pattern.test(name)) {
    return `'${name}' ${NAMESPACE_NAME.rule}`;
  }
  return undefined;
}

/** Worker script names follow the same inferred rule (the emulator's SCRIPT_NAME_RULE; Cloudflare answers 10016). */
export const scriptNameProblem = namespaceNameProblem;
