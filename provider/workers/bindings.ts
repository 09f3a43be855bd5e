/**
 * Binding translation: the provider receives bindings as a map from binding name to Cloudflare's
 * binding shape without `name` (the sdk's helpers build them), validates them at `check`, and turns
 * them into `metadata.bindings[]` for the upload. Secret bindings travel in a separate map so that
 * plain ones stay readable in diffs while secret ones stay encrypted in state.
 */
import { isUnknown, isUnknownValue } from "../framework/unknowns";
import type { ScriptUpdateParams } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";

/** One element of the upload's `metadata.bindings[]`, as the SDK types it. */
export type MetadataBinding = NonNullable<ScriptUpdateParams.Metadata["bindings"]>[number];
export type BindingType = MetadataBinding["type"];

type WithoutName<T> = T extends unknown ? Omit<T, "name"> : never;
/** A binding as given to the provider: Cloudflare's shape, named by its key in the map. */
export type BindingSpec = WithoutName<MetadataBinding>;
export type BindingMap = Record<string, BindingSpec>;

interface BindingRule {
  /** Fields that must be non-empty strings. */
  strings?: readonly string[];
  /** At least one of these must be a non-empty string. */
  anyOf?: readonly string[];
  /** Why the type cannot be used by this package, if so. */
  unsupported?: string;
  check?: (b: Record<string, unknown>) => string | undefined;
}

const PART_BINDING =
  "binds a part of a service-worker upload; module workers import such files instead (entrypoint bundling handles .wasm, .txt, .html, .bin)";

/** Every binding type of the SDK's metadata, with the fields Cloudflare requires. Exhaustive by type. */
const BINDING_RULES: Record<BindingType, BindingRule> = {
  plain_text: { strings: ["text"] },
  secret_text: { strings: ["text"] },
  json: { check: (b) => (b.json === undefined ? "needs a json value" : undefined) },
  kv_namespace: { strings: ["namespace_id"] },
  r2_bucket: { strings: ["bucket_name"] },
  d1: { anyOf: ["database_id", "id"] },
  service: { strings: ["service"] },
  dispatch_namespace: { strings: ["namespace"] },
  durable_object_namespace: { anyOf: ["class_name", "namespace_id"] },
  queue: { strings: ["queue_name"] },
  analytics_engine: { strings: ["dataset"] },
  hyperdrive: { strings: ["id"] },
  vectorize: { strings: ["index_name"] },
  mtls_certificate: { strings: ["certificate_id"] },
  workflow: { strings: ["workflow_name"] },
  ratelimit: {
    strings: ["namespace_id"],
    check: (b) => {
      const simple = b.simple as Record<string, unknown> | undefined;
      return typeof simple?.limit === "number" && typeof simple?.period === "number" ? undefined : "needs simple: { limit, period }";
    },
  },
  secrets_store_secret: { strings: ["store_id", "secret_name"] },
  secret_key: {
    strings: ["format"],
    check: (b) => (b.algorithm === undefined || !Array.isArray(b.usages) ? "needs algorithm, format and usages" : undefined),
  },
  pipelines: { strings: ["pipeline"] },
  k2: { strings: ["stream"] },
  flagship: { strings: ["app_id"] },
  vpc_service: { strings: ["service_id"] },
  vpc_network: { anyOf: ["network_id", "tunnel_id"] },
  ai_search: { strings: ["instance_name"] },
  ai_search_namespace: { strings: ["namespace"] },
  messaging: { strings: ["namespace"] },
  artifacts: { strings: ["namespace"] },
  inherit: {},
  send_email: {},
  ai: {},
  assets: {},
  browser: {},
  images: {},
  media: {},
  version_metadata: {},
  wasm_module: { unsupported: PART_BINDING },
  text_blob: { unsupported: PART_BINDING },
  data_blob: { unsupported: PART_BINDING },
};

export const BINDING_TYPES = Object.keys(BINDING_RULES) as BindingType[];

/** Binding names become properties of `env`: JavaScript identifiers. */
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface BindingProblem {
  property: "bindings" | "secretBindings" | "keepBindings";
  reason: string;
}

/** Problems with one binding map; what is still unknown at preview (the map, a binding, a field) is checked at `up`. */
export function bindingProblems(property: "bindings" | "secretBindings", map: unknown): BindingProblem[] {
  if (map === undefined || isUnknownValue(map)) return [];
  const problems: BindingProblem[] = [];
  const fail = (reason: string) => problems.push({ property, reason });
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    fail(`${property} must be a map from binding name to binding`);
    return problems;
  }
  for (const [name, value] of Object.entries(map as Record<string, unknown>)) {
    if (!BINDING_NAME.test(name))
      fail(`${property}.${name}: binding names must be JavaScript identifiers (letters, digits, '_' and '$', not starting with a digit)`);
    if (isUnknownValue(value)) continue;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      fail(
        `${property}.${name}: a binding must be an object with a 'type' (use the sdk's helpers, e.g. json(...), secret(...), kvNamespace(...))`,
      );
      continue;
    }
    const b = value as Record<string, unknown>;
    if (isUnknown(b.type)) continue; // which rules apply is known once the type is
    const rule = BINDING_RULES[b.type as BindingType] as BindingRule | undefined;
    if (!rule) {
      fail(`${property}.${name}: unknown binding type ${JSON.stringify(b.type)}; known types: ${BINDING_TYPES.join(", ")}`);
      continue;
    }
    if (rule.unsupported) fail(`${property}.${name}: type '${b.type}' ${rule.unsupported}`);
    for (const field of rule.strings ?? []) {
      if (!isUnknown(b[field]) && (typeof b[field] !== "string" || b[field] === "")) {
        fail(`${property}.${name}: a '${b.type}' binding needs '${field}' (a non-empty string)`);
      }
    }
    if (rule.anyOf && !rule.anyOf.some((f) => isUnknown(b[f]) || (typeof b[f] === "string" && b[f] !== ""))) {
      fail(`${property}.${name}: a '${b.type}' binding needs one of ${rule.anyOf.map((f) => `'${f}'`).join(" or ")}`);
    }
    const extra = isUnknown(b) ? undefined : rule.check?.(b);
    if (extra) fail(`${property}.${name}: a '${b.type}' binding ${extra}`);
  }
  return problems;
}

/**
 * A name bound twice (once plain, once secret) would be ambiguous: Cloudflare refuses duplicates.
 * Either map may still be unknown at preview (or not a map at all, reported elsewhere): no names then.
 */
export function duplicateBindingNames(bindings: unknown, secretBindings: unknown): string[] {
  const names = (map: unknown) => (map !== null && typeof map === "object" && !Array.isArray(map) ? Object.keys(map) : []);
  const plain = new Set(names(bindings));
  return names(secretBindings).filter((name) => plain.has(name));
}

export function keepBindingsProblems(value: unknown): BindingProblem[] {
  if (value === undefined || isUnknownValue(value)) return [];
  if (!Array.isArray(value) || value.some((t) => !isUnknownValue(t) && !BINDING_TYPES.includes(t as BindingType))) {
    return [{ property: "keepBindings", reason: `keepBindings must be a list of binding types (${BINDING_TYPES.join(", ")})` }];
  }
  return [];
}

/**
 * A secret known only by name: taken over at import, Cloudflare reports its type but never its value.
 * Sending it back without a value is refused (400/10021); Cloudflare's `inherit` binding type keeps
 * the current version's binding of that name instead (the `inherit` member of the SDK's
 * `ScriptUpdateParams.Metadata` bindings: "the binding will be inherited from the previous version").
 */
export function isValuelessSecret(spec: BindingSpec): boolean {
  const b = spec as Record<string, unknown>;
  if (b.type === "secret_text") return b.text === undefined;
  if (b.type === "secret_key") return b.key_base64 === undefined && b.key_jwk === undefined;
  return false;
}

/** `metadata.bindings[]`: plain bindings then secret ones, each in name order (a stable upload). */
export function toMetadataBindings(bindings: BindingMap | undefined, secretBindings: BindingMap | undefined): MetadataBinding[] {
  const named = (map: BindingMap | undefined) =>
    Object.keys(map ?? {})
      .sort()
      .map((name) => (isValuelessSecret(map![name]) ? { name, type: "inherit" as const } : { name, ...map![name] }));
  return [...named(bindings), ...named(secretBindings)];
}

/**
 * The binding map Cloudflare reports (GET settings), for refresh and import. Secret values are never
 * returned, so a reported secret keeps the value state knows.
 */
export function fromReportedBindings(
  reported: ReadonlyArray<{ name: string; type: string }>,
  knownSecrets: BindingMap | undefined,
): { bindings: BindingMap; secretBindings: BindingMap } {
  const bindings: BindingMap = {};
  const secretBindings: BindingMap = {};
  for (const { name, ...rest } of reported) {
    // The settings API reports a binding in the upload's shape (the SDK types the two separately).
    const spec = rest as BindingSpec;
    const known = knownSecrets?.[name];
    if (known) secretBindings[name] = rest.type === known.type ? known : spec;
    else if (rest.type === "secret_text" || rest.type === "secret_key") secretBindings[name] = spec;
    else bindings[name] = spec;
  }
  return { bindings, secretBindings };
}

/**
 * The one field a binding of this type is made of besides `type` (`namespace_id` of a KV binding,
 * `json` of a JSON one), when the type has exactly one; what a compact form may name it by.
 */
export function soleBindingField(type: string): string | undefined {
  if (type === "json") return "json";
  const rule = (BINDING_RULES as Record<string, BindingRule | undefined>)[type];
  return rule?.strings?.length === 1 && rule.anyOf === undefined && rule.check === undefined ? rule.strings[0] : undefined;
}
