/**
 * Every tenant's secret bindings as one text, which state encrypts once. Each secret value in
 * state is an envelope of its own (about 90 bytes of key names and markers before the ciphertext,
 * then the ciphertext base64-encoded): a tenant registered as a secret as a whole, because of one
 * secret binding, cost its whole spec as ciphertext and an envelope. The sdk registers each
 * tenant's text without its secret bindings (packed-spec.ts) and them all here.
 *
 *     0tenant-a API_KEY=sk_live_3f9c SIGNING:{"secret_key":...}
 *     7b API_KEY=sk_live_77aa
 *
 * A line per tenant that has any, by name (line-text.ts), then per binding its name and `=` and the
 * text of a secret text binding, or `:` and the JSON of any other (packed-spec.ts's compact form);
 * or `?` for a tenant whose secrets are not known yet (at preview): that tenant is unknown, not the
 * others.
 */
import { BoundedMemo } from "../framework/memo";
import { UNKNOWN, isUnknownValue } from "../framework/unknowns";
import { escaped, frontCodedNames, nameReader, unescaped } from "./line-text";
import { compactBindings, expandedBindings } from "./packed-spec";

/** Binding name → binding in Cloudflare's shape, per tenant; or unknown for a tenant whose secrets are not known yet (at preview). */
export type TenantSecrets = Record<string, Record<string, unknown> | typeof UNKNOWN_SECRETS>;

/** A tenant's secrets not known yet: the token its line holds instead of its bindings. */
export const UNKNOWN_SECRETS = UNKNOWN;
const UNKNOWN_TOKEN = "?";

/** The text, or undefined when no tenant has a secret binding. */
export function storedTenantSecrets(secrets: TenantSecrets): string | undefined {
  const tenants = Object.entries(secrets).filter(([, map]) => isUnknownValue(map) || Object.keys(map).length > 0);
  if (tenants.length === 0) return undefined;
  const tokens = (map: Record<string, unknown> | typeof UNKNOWN_SECRETS) =>
    isUnknownValue(map)
      ? [UNKNOWN_TOKEN]
      : Object.entries(compactBindings(map, "secretBindings") as Record<string, unknown>).map(([key, v]) =>
          typeof v === "string" ? `${key}=${escaped(v)}` : `${key}:${escaped(JSON.stringify(v))}`,
        );
  const byEscaped = new Map(tenants.map(([name, map]) => [escaped(name), tokens(map)]));
  return frontCodedNames([...byEscaped.keys()])
    .map(({ name, field }) => [field, ...byEscaped.get(name)!].join(" "))
    .join("\n");
}

/** Each stored text's secrets, parsed once: check and diff of one command read the same text several times. */
export type ParsedSecrets = BoundedMemo<string, TenantSecrets>;

export function parsedSecrets(): ParsedSecrets {
  return new BoundedMemo(16);
}

/** Each tenant's secret bindings; unknown while the whole text is. */
export function tenantSecretsOf(stored: unknown, parsed: ParsedSecrets): TenantSecrets | typeof UNKNOWN {
  if (isUnknownValue(stored)) return UNKNOWN;
  if (typeof stored !== "string" || stored === "") return {};
  let secrets = parsed.get(stored);
  if (secrets !== undefined) return secrets;
  secrets = {};
  const readName = nameReader();
  for (const line of stored.split("\n")) {
    if (line === "") continue;
    const [nameField, ...bindings] = line.split(" ");
    const name = unescaped(readName(nameField));
    if (bindings[0] === UNKNOWN_TOKEN) {
      secrets[name] = UNKNOWN_SECRETS;
      continue;
    }
    const map: Record<string, unknown> = {};
    for (const token of bindings) {
      const at = token.search(/[=:]/);
      if (at < 0) continue;
      const value = unescaped(token.slice(at + 1));
      map[token.slice(0, at)] = token[at] === "=" ? value : JSON.parse(value);
    }
    secrets[name] = expandedBindings(map, "secretBindings") as Record<string, unknown>;
  }
  parsed.set(stored, secrets);
  return secrets;
}
