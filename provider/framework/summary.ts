/** One-line summaries that stay one line however many things they name. */

/** At most five names, then how many more. */
export function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
