/**
 * Durable Object migrations of an upload's `metadata.migrations` (or a settings PATCH): the single-step
 * form `{ old_tag?, new_tag?, new_classes?, new_sqlite_classes?, renamed_classes?, deleted_classes?,
 * transferred_classes? }` or the steps form `{ old_tag?, new_tag?, steps: [...] }` (SDK
 * `SingleStepMigrationParam` / `WorkersMultipleStepMigrations`). SOURCES.md §3.8.
 *
 * - `old_tag` is checked against the script's current migration tag; a mismatch is refused with
 *   10079 "Migration tag precondition failed; current tag is …" (wording seen from the real API).
 * - The classes a script implements are tracked so rename, delete and re-create are checked [INF].
 * - Each class's namespace has an id of its own that the edge keys objects and storage by: a rename hands
 *   the namespace (objects and storage) to the new class name, a delete drops it, a new class gets a
 *   fresh one, so a deleted and re-created class starts empty (DOCS `durable-objects/reference/
 *   durable-objects-migrations`, "Rename migration", "Delete migration").
 */
import { randomUUID } from "node:crypto";
import { ApiError, errors } from "../envelope";

/** What the previous version of the script says about its Durable Objects. */
export interface MigrationState {
  migration_tag?: string;
  /** Classes with a Durable Object namespace in this script, in the order they were created. */
  durable_object_classes?: string[];
  /**
   * Class → id of its Durable Object namespace. A class without an entry (state written before ids were
   * kept) has its own name as id, which is where the edge kept its objects then.
   */
  durable_object_namespaces?: Record<string, string>;
}

/** The id of `className`'s Durable Object namespace (its name for state written before ids were kept). */
export function namespaceIdOf(state: MigrationState, className: string): string {
  return state.durable_object_namespaces?.[className] ?? className;
}

/** [INF] Any id unique to one namespace; the emulator never shows it. */
function newNamespaceId(): string {
  return randomUUID().replace(/-/g, "");
}

/** [INF] A class name becomes an export of the Worker's main module: a JavaScript identifier. */
const CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const STEP_LISTS = ["new_classes", "new_sqlite_classes", "deleted_classes"] as const;
const STEP_PAIRS = ["renamed_classes", "transferred_classes"] as const;

/** The tag and classes after applying `value` to `previous`; throws the API error Cloudflare would answer. */
export function applyMigrations(value: unknown, previous: MigrationState): MigrationState {
  const o = objectOf(value, "migrations");
  const oldTag = optionalString(o.old_tag, "migrations.old_tag");
  const newTag = optionalString(o.new_tag, "migrations.new_tag");
  const current = previous.migration_tag;
  // Without old_tag nothing is compared (wrangler sends old_tag only when it read a current tag) [INF].
  if (oldTag !== undefined && oldTag !== current) throw migrationTagPrecondition(current);
  let steps: Array<Record<string, unknown>>;
  if (o.steps !== undefined) {
    const single = [...STEP_LISTS, ...STEP_PAIRS].find((k) => o[k] !== undefined);
    if (single) throw errors.workerValidation(`migrations: give either steps or ${single} at the top level, not both`);
    if (!Array.isArray(o.steps)) throw errors.workerValidation("migrations.steps must be an array of migration steps");
    steps = o.steps.map((s, i) => objectOf(s, `migrations.steps[${i}]`));
  } else {
    steps = [o];
  }
  const classes = [...(previous.durable_object_classes ?? [])];
  const namespaces = new Map(classes.map((name) => [name, namespaceIdOf(previous, name)]));
  steps.forEach((step, i) =>
    applyStep(step, classes, namespaces, steps.length > 1 || o.steps !== undefined ? `migrations.steps[${i}]` : "migrations"),
  );
  const next: MigrationState = { durable_object_classes: classes, durable_object_namespaces: Object.fromEntries(namespaces) };
  const tag = newTag ?? current;
  if (tag !== undefined) next.migration_tag = tag;
  return next;
}

/** Applies one step to `classes` (in creation order) and `namespaces` (class → namespace id). */
function applyStep(step: Record<string, unknown>, classes: string[], namespaces: Map<string, string>, where: string): void {
  const has = (name: string) => classes.includes(name);
  for (const key of ["new_classes", "new_sqlite_classes"] as const) {
    for (const name of classList(step[key], `${where}.${key}`)) {
      if (has(name)) throw classProblem(`${where}.${key}: class '${name}' already has a Durable Object namespace in this Worker`);
      classes.push(name);
      namespaces.set(name, newNamespaceId());
    }
  }
  for (const { from, to } of classPairs(step.renamed_classes, `${where}.renamed_classes`, false)) {
    if (!has(from))
      throw classProblem(`${where}.renamed_classes: class '${from}' has no Durable Object namespace in this Worker to rename`);
    if (has(to)) throw classProblem(`${where}.renamed_classes: class '${to}' already has a Durable Object namespace in this Worker`);
    classes.splice(classes.indexOf(from), 1, to);
    namespaces.set(to, namespaces.get(from)!);
    namespaces.delete(from);
  }
  for (const { to } of classPairs(step.transferred_classes, `${where}.transferred_classes`, true)) {
    if (has(to)) throw classProblem(`${where}.transferred_classes: class '${to}' already has a Durable Object namespace in this Worker`);
    classes.push(to);
    // [INF] The emulator does not move objects between Workers: a transferred class starts empty here.
    namespaces.set(to, newNamespaceId());
  }
  for (const name of classList(step.deleted_classes, `${where}.deleted_classes`)) {
    if (!has(name))
      throw classProblem(`${where}.deleted_classes: class '${name}' has no Durable Object namespace in this Worker to delete`);
    classes.splice(classes.indexOf(name), 1);
    namespaces.delete(name);
  }
}

/** 400/10079 [INF status]; code and wording from an answer of the real API quoted in cloudflare/workers-sdk#705. */
export function migrationTagPrecondition(current: string | undefined): ApiError {
  return new ApiError(400, 10079, `Migration tag precondition failed; current tag is ${current ?? ""}`.trimEnd());
}

/** [INF] Class rules of a migration: the validator's 400/10021. */
function classProblem(message: string): ApiError {
  return errors.workerValidation(message);
}

function classList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw errors.workerValidation(`${field} must be an array of class names`);
  return value.map((name, i) => className(name, `${field}[${i}]`));
}

function classPairs(value: unknown, field: string, transfer: boolean): Array<{ from: string; to: string }> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw errors.workerValidation(`${field} must be an array of { from, to } objects`);
  return value.map((pair, i) => {
    const p = objectOf(pair, `${field}[${i}]`);
    if (transfer && (typeof p.from_script !== "string" || p.from_script === "")) {
      throw errors.workerValidation(`${field}[${i}].from_script must name the Worker the class is transferred from`);
    }
    return { from: className(p.from, `${field}[${i}].from`), to: className(p.to, `${field}[${i}].to`) };
  });
}

function className(value: unknown, field: string): string {
  if (typeof value !== "string" || !CLASS_NAME.test(value)) {
    throw errors.workerValidation(`${field} must be a class name (a JavaScript identifier), got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw errors.workerValidation(`${field} must be a non-empty string`);
  return value;
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw errors.workerValidation(`${field} must be an object`);
  return value as Record<string, unknown>;
}
