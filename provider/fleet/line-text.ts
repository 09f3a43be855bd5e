/**
 * The line texts a fleet keeps in state: a line per tenant, fields separated by spaces. State
 * encrypts these texts and base64-encodes the ciphertext, so every character costs about 1.33 bytes
 * there: fields are escaped rather than quoted, and tenant names are written in sorted order, each
 * as how many characters it shares with the name before it and the rest.
 */

/** A field as written: never a space, a line break or an empty text (an empty field is "-", a field that is just "-" "%2D"). */
export const escaped = (field: string) =>
  field === ""
    ? "-"
    : field === "-"
      ? "%2D"
      : field.replace(/[% \n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
/** The field as it was given to `escaped`. */
export const unescaped = (field: string | undefined) => (field === undefined || field === "-" ? "" : decodeURIComponent(field));

/** One character per shared length, 0 to 63; none of them is escaped. */
const SHARED = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";

/** Names (already escaped) in sorted order, each written as the length it shares with the one before and the rest. */
export function frontCodedNames(names: string[]): Array<{ name: string; field: string }> {
  let previous = "";
  return [...names].sort().map((name) => {
    let shared = 0;
    while (shared < SHARED.length - 1 && shared < name.length && name[shared] === previous[shared]) shared++;
    previous = name;
    return { name, field: SHARED[shared] + name.slice(shared) };
  });
}

/** Reads front-coded name fields in order: each gives the escaped name. */
export function nameReader(): (field: string) => string {
  let previous = "";
  return (field) => {
    const shared = SHARED.indexOf(field[0]);
    previous = previous.slice(0, Math.max(shared, 0)) + field.slice(1);
    return previous;
  };
}
