/**
 * Script tags: validation (at most 8 per script, no ',' or '&' — CF-DOCS limits; the status and
 * code of a violation, 400 / 10021, are [INF]) and the `tags=name:yes,other:no` filter of the
 * namespace script list and delete-by-tags endpoints.
 */
import { errors } from "../envelope";
import { FORBIDDEN_TAG_CHARACTERS, MAX_TAGS_PER_SCRIPT } from "./rules";

/** Validates one tag; `field` names it in the message. */
export function validateTag(tag: unknown, field = "tag"): string {
  if (typeof tag !== "string" || tag === "") throw errors.workerValidation(`${field}: every tag must be a non-empty string`);
  if (FORBIDDEN_TAG_CHARACTERS.test(tag)) throw errors.workerValidation(`${field}: tag '${tag}' must not contain ',' or '&'`);
  return tag;
}

/** Validates a tag list (null/undefined → []); duplicates are merged; more than 8 distinct tags is refused. */
export function validateTags(value: unknown, field = "tags"): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.workerValidation(`${field} must be an array of strings`);
  const tags = [...new Set(value.map((t, i) => validateTag(t, `${field}[${i}]`)))];
  assertTagCount(tags.length, field);
  return tags;
}

export function assertTagCount(count: number, field = "tags"): void {
  if (count > MAX_TAGS_PER_SCRIPT) {
    throw errors.workerValidation(`${field}: a Worker can have at most ${MAX_TAGS_PER_SCRIPT} tags, got ${count}`);
  }
}

export interface TagCondition {
  tag: string;
  /** true = the script must have the tag (`:yes`), false = must not (`:no`). */
  present: boolean;
}

/** Parses `customer-123:yes,production:no`; anything else is 400 / 10021 [INF]. */
export function parseTagFilter(raw: string): TagCondition[] {
  const conditions = raw.split(",").map((item) => {
    const colon = item.lastIndexOf(":");
    const tag = colon < 0 ? "" : item.slice(0, colon);
    const verdict = colon < 0 ? "" : item.slice(colon + 1);
    if (tag === "" || (verdict !== "yes" && verdict !== "no")) {
      throw errors.invalidQuery(
        `Invalid tags filter '${item}': use <tag>:yes or <tag>:no, comma-separated (e.g. customer-123:yes,production:no)`,
      );
    }
    return { tag, present: verdict === "yes" };
  });
  return conditions;
}

export function matchesTags(tags: readonly string[], conditions: readonly TagCondition[]): boolean {
  return conditions.every((c) => tags.includes(c.tag) === c.present);
}
