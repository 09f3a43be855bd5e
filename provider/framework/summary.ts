/** One-line summaries that stay one line however many things they name. */

/** At most `limit` names (five unless told), then how many more. */
export function listed(names: readonly string[], limit = 5): string {
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
