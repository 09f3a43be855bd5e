/**
 * Secrets are the `secret_text` / `secret_key` bindings of a script: they share the binding name
 * space (a secret may not take the name of a plain binding — 400 / 10053 [INF]) and their values are
 * stored but never returned.
 */
import { errors } from "../envelope";
import { isSecretBinding, SECRET_BINDING_TYPES, validateBinding } from "./bindings";
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
