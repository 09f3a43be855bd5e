/**
 * A tenant's spec as the sdk registers it and state keeps it: one JSON text, its bindings in a
 * compact form. Every tenant's text is in state (its inputs), so each byte of it is a byte per
 * tenant: a plain text binding is its string, a binding made of one field besides its type is
 * `{ "<type>": value }` (`{ "json": { "plan": "pro" } }`, `{ "kv_namespace": "<id>" }`), any other
 * keeps Cloudflare's shape. Texts in Cloudflare's shape throughout (written before the compact
 * form) read the same.
 *
 * A tenant's secret bindings are not in its text when the sdk keeps them apart (tenant-secrets.ts).
 */
import { UNKNOWN, isUnknownValue } from "../framework/unknowns";
import { soleBindingField } from "../workers/bindings";
import type { TenantSpec } from "./spec";
import type { TenantSecrets } from "./tenant-secrets";

/** In `bindings` a string is a plain text binding, in `secretBindings` a secret text one. */
const STRING_TYPE = { bindings: "plain_text", secretBindings: "secret_text" } as const;
type BindingMapKey = keyof typeof STRING_TYPE;

/** A binding as the text holds it. */
function compactBinding(binding: unknown, stringType: string): unknown {
  if (binding === null || typeof binding !== "object" || Array.isArray(binding)) return binding;
  const { type, ...fields } = binding as { type?: unknown } & Record<string, unknown>;
  const keys = Object.keys(fields);
  if (typeof type !== "string" || keys.length !== 1) return binding;
  if (type === stringType && keys[0] === "text" && typeof fields.text === "string") return fields.text;
  return soleBindingField(type) === keys[0] ? { [type]: fields[keys[0]] } : binding;
}

/** The binding in Cloudflare's shape, from either form. */
function expandedBinding(value: unknown, stringType: string): unknown {
  if (typeof value === "string") return { type: stringType, text: value };
  if (value === null || typeof value !== "object" || Array.isArray(value) || "type" in value) return value;
  const keys = Object.keys(value);
  const field = keys.length === 1 ? soleBindingField(keys[0]) : undefined;
  return field === undefined ? value : { type: keys[0], [field]: (value as Record<string, unknown>)[keys[0]] };
}

function mapped(map: unknown, each: (value: unknown) => unknown): unknown {
  if (map === null || typeof map !== "object" || Array.isArray(map) || isUnknownValue(map)) return map;
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, each(value)]));
}

/** A binding map as the text holds it (also what tenant-secrets.ts writes per tenant). */
export function compactBindings(map: unknown, key: BindingMapKey): unknown {
  return mapped(map, (b) => compactBinding(b, STRING_TYPE[key]));
}

/** A binding map from the text, in Cloudflare's shape. */
export function expandedBindings(map: unknown, key: BindingMapKey): unknown {
  return mapped(map, (b) => expandedBinding(b, STRING_TYPE[key]));
}

/** The text of a spec in the provider's input shape (JSON.stringify leaves out what is undefined). */
export function packedText(spec: Record<string, unknown>): string {
  const out: Record<string, unknown> = { ...spec };
  for (const key of ["bindings", "secretBindings"] as const) if (out[key] !== undefined) out[key] = compactBindings(out[key], key);
  return JSON.stringify(out);
}

/** The spec a text holds, its bindings in Cloudflare's shape; text that is not a JSON object is returned as is, for check to refuse. */
export function specOfText(text: string): TenantSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text as unknown as TenantSpec;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return text as unknown as TenantSpec;
  const spec = parsed as Record<string, unknown>;
  for (const key of ["bindings", "secretBindings"] as const) if (spec[key] !== undefined) spec[key] = expandedBindings(spec[key], key);
  return spec;
}

/**
 * A tenant's spec with its secret bindings kept apart (tenant-secrets.ts) put back. Unknown secrets
 * make the tenant's secret bindings unknown: only that tenant's, or, while the whole text is unknown,
 * every tenant's (which tenants have any is in the text).
 */
export function withSecretsApart(spec: TenantSpec, name: string, secrets: TenantSecrets | typeof UNKNOWN): TenantSpec {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec) || isUnknownValue(spec)) return spec;
  const own = isUnknownValue(secrets) ? UNKNOWN : (secrets as TenantSecrets)[name];
  if (own === undefined) return spec;
  const given = spec.secretBindings as unknown;
  const merged = isUnknownValue(own)
    ? UNKNOWN
    : given !== null && typeof given === "object" && !isUnknownValue(given)
      ? { ...given, ...(own as object) }
      : own;
  return { ...spec, secretBindings: merged } as TenantSpec;
}
