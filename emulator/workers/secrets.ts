/**
 * Secrets are the `secret_text` / `secret_key` bindings of a script: they share the binding name
 * space (a secret may not take the name of a plain binding — 400 / 10053 [INF]) and their values are
 * stored but never returned.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { errors } from "../envelope";
import { isSecretBinding, SECRET_BINDING_TYPES, SECRET_VALUE_FIELDS, validateBinding } from "./bindings";
import type { Binding } from "./types";

/** Validates a secret as sent to `PUT …/secrets` or inside `secrets-bulk` (400 / 10021). */
export function validateSecret(value: unknown, field = "secret"): Binding {
  const type = (value as Record<string, unknown> | null)?.type;
  if (value !== null && typeof value === "object" && !SECRET_BINDING_TYPES.includes(type as string)) {
    throw errors.workerValidation(`${field}: type must be 'secret_text' or 'secret_key', got ${JSON.stringify(type)}`);
  }
  return validateBinding(value, { field });
}

/** `{ name, type }` (plus `algorithm`, `format`, `usages` for a secret_key) — never the value. */
export function secretView(b: Binding) {
  if (b.type === "secret_key") return { name: b.name, type: b.type, algorithm: b.algorithm, format: b.format, usages: b.usages };
  return { name: b.name, type: b.type };
}

export function findSecret(bindings: readonly Binding[], name: string): Binding | undefined {
  return bindings.find((b) => b.name === name && isSecretBinding(b));
}

/** The bindings with `secret` added or replacing the secret of the same name; 10053 if a non-secret binding has it. */
export function withSecret(bindings: readonly Binding[], secret: Binding): Binding[] {
  const clash = bindings.find((b) => b.name === secret.name && !isSecretBinding(b));
  if (clash) throw errors.bindingNameInUse(secret.name);
  const i = bindings.findIndex((b) => b.name === secret.name);
  return i < 0 ? [...bindings, secret] : bindings.map((b, j) => (j === i ? secret : b));
}

/** The bindings without the secret `name` (unchanged when there is none). */
export function withoutSecret(bindings: readonly Binding[], name: string): Binding[] {
  return bindings.filter((b) => !(b.name === name && isSecretBinding(b)));
}

/** Every secret value field the walk meets gets `f(value)`; `undefined` removes the field. */
export type SecretValueMap = (value: unknown) => unknown;

const ALL_SECRET_VALUE_FIELDS: readonly string[] = [...new Set(Object.values(SECRET_VALUE_FIELDS).flat())];

/**
 * The fields of `v` that hold a secret value: those of a secret binding (`{ type: "secret_text", text }`,
 * `{ type: "secret_key", key_base64 | key_jwk }`), or with `anyObject` (a body sent to a secrets endpoint,
 * which may lack a valid `type`) `text` / `key_base64` / `key_jwk` of any object.
 */
export function secretFieldsOf(v: unknown, anyObject = false): readonly string[] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
  if (anyObject) return ALL_SECRET_VALUE_FIELDS;
  const type = (v as Record<string, unknown>).type;
  return typeof type === "string" ? (SECRET_VALUE_FIELDS[type] ?? []) : [];
}

/** Whether `key` can name a secret value field (for a JSON reviver). */
export function isSecretValueField(key: string): boolean {
  return ALL_SECRET_VALUE_FIELDS.includes(key);
}

/** A copy of `doc` (any JSON) in which every secret value field at any depth went through `f` (`undefined` removes it). */
export function mapSecretValues<T>(doc: T, f: SecretValueMap, options: { anyObject?: boolean } = {}): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    const fields = secretFieldsOf(v, options.anyObject);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const mapped = fields.includes(k) ? f(x) : walk(x);
      if (mapped !== undefined) out[k] = mapped;
    }
    return out;
  };
  return walk(doc) as T;
}

/** `doc` without any secret value (what control answers, the request log and recorded uploads show). */
export function withoutSecretValues<T>(doc: T, options: { anyObject?: boolean } = {}): T {
  return mapSecretValues(doc, () => undefined, options);
}

/** Whether `value` is the value of the secret `b` (its `text`, `key_base64` or `key_jwk`), compared in constant time. */
export function secretValueMatches(b: Binding, value: unknown): boolean {
  const digest = (v: unknown) =>
    createHash("sha256")
      .update(JSON.stringify(v) ?? "")
      .digest();
  const wanted = digest(value);
  return (SECRET_VALUE_FIELDS[b.type] ?? []).some((field) => b[field] !== undefined && timingSafeEqual(digest(b[field]), wanted));
}
