/**
 * Durable Object migrations: how a Worker's Durable Object classes come and go (created, renamed,
 * deleted, transferred), sent in the upload's `metadata.migrations`. Cloudflare records the last
 * applied `new_tag` as the script's `migration_tag` and runs a migration once: an upload that sends
 * it again fails (the class already exists), and an `old_tag` other than the current tag is refused.
 *
 * So the provider sends the migrations only while the script's tag (kept in state as `migrationTag`)
 * is not yet their `newTag`: a migration that has applied costs later uploads nothing, and changing
 * `newTag` (with the next step) is an update in place, never a replacement.
 */
import type { MigrationStepParam, SingleStepMigrationParam } from "cloudflare/resources/workers/workers";
import type { ScriptUpdateParams } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import { type Camelized, snakeCased } from "../framework/casing";
import { isUnknown, isUnknownValue } from "../framework/unknowns";

/** One step: classes to create (`newClasses`, `newSqliteClasses`), rename, delete or transfer. */
export type MigrationStep = Camelized<MigrationStepParam>;

/**
 * Cloudflare's migrations in camelCase: one step's fields at the top level, or `steps`; `newTag` is
 * the tag the script has once they applied, `oldTag` the tag it must have before.
 */
export type Migrations = Camelized<SingleStepMigrationParam> & { steps?: MigrationStep[] };

type MetadataMigrations = NonNullable<ScriptUpdateParams.Metadata["migrations"]>;

/** A class name is an export of the Worker's main module: a JavaScript identifier. */
const CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const LIST_FIELDS = ["newClasses", "newSqliteClasses", "deletedClasses"] as const;
const PAIR_FIELDS = ["renamedClasses", "transferredClasses"] as const;

/** What is wrong with the `migrations` input; unknowns at any depth are checked at `up`. */
export function migrationsProblems(value: unknown): string[] {
  if (value === undefined || isUnknownValue(value)) return [];
  const problems: string[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return ['migrations must be an object like { newTag: "v1", newSqliteClasses: ["Counter"] }'];
  }
  const m = value as Record<string, unknown>;
  if (!isUnknown(m.newTag) && (typeof m.newTag !== "string" || m.newTag === "")) {
    problems.push(
      "migrations.newTag is required (a non-empty string): Cloudflare keeps it as the script's migration tag, so each migration runs once",
    );
  }
  if (m.oldTag !== undefined && !isUnknown(m.oldTag) && (typeof m.oldTag !== "string" || m.oldTag === "")) {
    problems.push("migrations.oldTag must be a non-empty string: the script's current migration tag");
  }
  if (typeof m.oldTag === "string" && m.oldTag === m.newTag)
    problems.push(`migrations.oldTag and newTag are both '${m.oldTag}': the new tag must differ from the current one`);
  if (m.steps !== undefined) {
    const single = [...LIST_FIELDS, ...PAIR_FIELDS].find((f) => m[f] !== undefined);
    if (single) problems.push(`migrations: give either steps or ${single} at the top level, not both`);
    if (!isUnknownValue(m.steps)) {
      if (!Array.isArray(m.steps)) problems.push('migrations.steps must be a list of steps like { newClasses: ["Counter"] }');
      else m.steps.forEach((step, i) => problems.push(...stepProblems(step, `migrations.steps[${i}]`)));
    }
  } else {
    problems.push(...stepProblems(m, "migrations"));
  }
  return problems;
}

function stepProblems(step: unknown, where: string): string[] {
  if (isUnknownValue(step)) return [];
  if (step === null || typeof step !== "object" || Array.isArray(step))
    return [`${where} must be an object like { newClasses: ["Counter"] }`];
  const s = step as Record<string, unknown>;
  const problems: string[] = [];
  const className = (name: unknown, field: string) => {
    if (!isUnknown(name) && (typeof name !== "string" || !CLASS_NAME.test(name))) {
      problems.push(`${field} must be a class name (a JavaScript identifier exported by the Worker), got ${JSON.stringify(name)}`);
    }
  };
  for (const field of LIST_FIELDS) {
    const list = s[field];
    if (list === undefined || isUnknownValue(list)) continue;
    if (!Array.isArray(list)) problems.push(`${where}.${field} must be a list of class names`);
    else list.forEach((name, i) => className(name, `${where}.${field}[${i}]`));
  }
  for (const field of PAIR_FIELDS) {
    const pairs = s[field];
    if (pairs === undefined || isUnknownValue(pairs)) continue;
    if (!Array.isArray(pairs)) {
      problems.push(`${where}.${field} must be a list of { from, to }`);
      continue;
    }
    pairs.forEach((pair, i) => {
      if (isUnknownValue(pair)) return;
      const p = (pair ?? {}) as Record<string, unknown>;
      className(p.from, `${where}.${field}[${i}].from`);
      className(p.to, `${where}.${field}[${i}].to`);
      if (field === "transferredClasses" && !isUnknown(p.fromScript) && (typeof p.fromScript !== "string" || p.fromScript === "")) {
        problems.push(`${where}.${field}[${i}].fromScript must name the Worker the class comes from`);
      }
    });
  }
  return problems;
}

/** The upload's `migrations`, or undefined when the script's tag says they have already applied. */
export function metadataMigrations(migrations: Migrations | undefined, appliedTag: string | undefined): MetadataMigrations | undefined {
  if (migrations === undefined || migrations.newTag === appliedTag) return undefined;
  return snakeCased<MetadataMigrations>(migrations);
}
