/**
 * Worker bindings (`metadata.bindings[]`, settings `bindings[]`, secrets): validation against the
 * table of known binding types (SOURCES.md §3.5, SDK 7.3.0 typings), resolution of
 * `inherit` bindings and `keep_bindings`, and the public view that never shows secret values.
 * Independent of where the Worker lives, so account-level scripts can reuse it.
 */
import { errors } from "../envelope";
import type { Binding } from "./types";

/** Which fields a binding type needs. All listed fields are strings unless a `check` says otherwise. */
interface BindingSpec {
  /** Non-empty strings that must be present. */
  required?: readonly string[];
  /** At least one of these must be a non-empty string (the first one is named in the error, as Cloudflare does for d1's `id`). */
  anyOf?: readonly string[];
  /** Strings when present. */
  optionalStrings?: readonly string[];
  /** Further checks; call `fail(field, expectation?)` to reject. */
  check?: (b: Record<string, unknown>, fail: (field: string, expectation?: string) => never) => void;
}

const SECRET_KEY_FORMATS = ["raw", "pkcs8", "spki", "jwk"];
const SECRET_KEY_USAGES = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
const R2_JURISDICTIONS = ["eu", "fedramp", "fedramp-high", "us"];

/** The known binding types. Unknown types are refused (400 / 10021 "unknown binding type"). */
export const BINDING_SPECS: Readonly<Record<string, BindingSpec>> = {
  plain_text: { required: ["text"] },
  json: {
    check: (b, fail) => {
      if (!("json" in b) || b.json === undefined) fail("json");
    },
  },
  secret_text: { required: ["text"] },
  secret_key: {
    check: (b, fail) => {
      if (b.algorithm === undefined || b.algorithm === null) fail("algorithm");
      if (typeof b.format !== "string" || !SECRET_KEY_FORMATS.includes(b.format)) fail("format", `one of ${SECRET_KEY_FORMATS.join(", ")}`);
      if (!Array.isArray(b.usages) || b.usages.some((u) => typeof u !== "string" || !SECRET_KEY_USAGES.includes(u))) {
        fail("usages", `an array of ${SECRET_KEY_USAGES.join(", ")}`);
      }
      if (b.format === "jwk") {
        if (b.key_jwk === null || typeof b.key_jwk !== "object") fail("key_jwk");
      } else if (typeof b.key_base64 !== "string" || b.key_base64 === "") {
        fail("key_base64");
      }
    },
  },
  kv_namespace: { required: ["namespace_id"] },
  r2_bucket: {
    required: ["bucket_name"],
    check: (b, fail) => {
      if (b.jurisdiction !== undefined && !R2_JURISDICTIONS.includes(b.jurisdiction as string)) {
        fail("jurisdiction", `one of ${R2_JURISDICTIONS.join(", ")}`);
      }
    },
  },
  d1: { anyOf: ["id", "database_id"] },
  service: { required: ["service"], optionalStrings: ["environment", "entrypoint"] },
  dispatch_namespace: {
    required: ["namespace"],
    check: (b, fail) => {
      if (b.outbound === undefined) return;
      const o = b.outbound as Record<string, unknown>;
      if (!isObject(o)) fail("outbound", "an object");
      if (o.worker !== undefined) {
        const w = o.worker as Record<string, unknown>;
        if (!isObject(w)) fail("outbound.worker", "an object");
        for (const f of ["service", "environment", "entrypoint"]) {
          if (w[f] !== undefined && typeof w[f] !== "string") fail(`outbound.worker.${f}`, "a string");
        }
      }
      if (o.params !== undefined) {
        if (!Array.isArray(o.params) || o.params.some((p) => !isObject(p) || typeof p.name !== "string" || p.name === "")) {
          fail("outbound.params", "an array of { name } objects");
        }
      }
    },
  },
  durable_object_namespace: {
    anyOf: ["class_name", "namespace_id"],
    optionalStrings: ["script_name", "environment", "dispatch_namespace"],
  },
  queue: { required: ["queue_name"] },
  analytics_engine: { required: ["dataset"] },
  assets: {},
  hyperdrive: { required: ["id"] },
  vectorize: { required: ["index_name"] },
  mtls_certificate: { required: ["certificate_id"] },
  workflow: { required: ["workflow_name"], optionalStrings: ["class_name", "script_name"] },
  ratelimit: {
    required: ["namespace_id"],
    check: (b, fail) => {
      const s = b.simple as Record<string, unknown>;
      if (!isObject(s)) fail("simple", "an object { limit, period }");
      if (typeof s.limit !== "number" || !(s.limit > 0)) fail("simple.limit", "a positive number");
      if (typeof s.period !== "number" || !(s.period > 0)) fail("simple.period", "a positive number");
    },
  },
  send_email: {
    optionalStrings: ["destination_address"],
    check: (b, fail) => {
      for (const f of ["allowed_destination_addresses", "allowed_sender_addresses"]) {
        if (b[f] !== undefined && (!Array.isArray(b[f]) || (b[f] as unknown[]).some((x) => typeof x !== "string"))) {
          fail(f, "an array of strings");
        }
      }
    },
  },
  secrets_store_secret: { required: ["store_id", "secret_name"] },
  pipelines: { required: ["pipeline"] },
  wasm_module: { required: ["part"] },
  text_blob: { required: ["part"] },
  data_blob: { required: ["part"] },
  inherit: { optionalStrings: ["old_name", "version_id"] },
  ai: {},
  browser: {},
  images: {},
  media: {},
  version_metadata: {},
  ai_search: { required: ["instance_name"], optionalStrings: ["namespace"] },
  ai_search_namespace: { required: ["namespace"] },
  messaging: { required: ["namespace"] },
  artifacts: { required: ["namespace"] },
  k2: { required: ["stream"] },
  flagship: { required: ["app_id"] },
  vpc_service: { required: ["service_id"] },
  vpc_network: { anyOf: ["tunnel_id", "network_id"], optionalStrings: ["identity"] },
};

/** The fields of a secret binding that hold its value (what the API never returns). */
export const SECRET_VALUE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  secret_text: ["text"],
  secret_key: ["key_base64", "key_jwk"],
};

/** Binding types that hold secret values. */
export const SECRET_BINDING_TYPES: readonly string[] = Object.keys(SECRET_VALUE_FIELDS);
/** Binding types whose `part` names a form part of the upload (service-worker syntax). */
const PART_BINDING_TYPES = ["wasm_module", "text_blob", "data_blob"];

export function isSecretBinding(b: Binding): boolean {
  return SECRET_BINDING_TYPES.includes(b.type);
}

export interface BindingValidationOptions {
  /** Prefix of the field in messages, e.g. "bindings" or "settings.bindings". */
  field?: string;
  /**
   * Names an `wasm_module` / `text_blob` / `data_blob` binding may point at (the upload's part and
   * module names); undefined skips that check.
   */
  partNames?: ReadonlySet<string>;
}

/**
 * Validates a `bindings` array (400 / 10021 on the first problem, naming the binding and field);
 * returns deep copies. Names must be unique.
 */
export function validateBindings(value: unknown, opts: BindingValidationOptions = {}): Binding[] {
  const field = opts.field ?? "bindings";
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.workerValidation(`${field} must be an array of binding objects`);
  const seen = new Set<string>();
  return value.map((item, i) => {
    const b = validateBinding(item, { ...opts, field: `${field}[${i}]` });
    if (seen.has(b.name))
      throw errors.workerValidation(`${field}[${i}]: duplicate binding name '${b.name}' (binding names must be unique)`);
    seen.add(b.name);
    return b;
  });
}

/** Validates one binding object (see validateBindings). */
export function validateBinding(item: unknown, opts: BindingValidationOptions = {}): Binding {
  const where = opts.field ?? "binding";
  if (!isObject(item)) throw errors.workerValidation(`${where}: each binding must be an object with 'name' and 'type'`);
  const b = item;
  if (typeof b.name !== "string" || b.name === "") throw errors.workerValidation(`${where}: binding 'name' must be a non-empty string`);
  const name = b.name;
  if (typeof b.type !== "string" || b.type === "") throw errors.workerValidation(`${where}: binding ${name} must have a string 'type'`);
  const type = b.type;
  const spec = BINDING_SPECS[type];
  if (!spec) throw errors.workerValidation(`${where}: unknown binding type '${type}' for binding ${name}`);

  const fail = (f: string, expectation?: string): never => {
    throw errors.workerValidation(
      expectation
        ? `binding ${name} of type ${type} has an invalid \`${f}\`: expected ${expectation}`
        : `binding ${name} of type ${type} must have a valid \`${f}\` specified`,
    );
  };
  const nonEmptyString = (v: unknown) => typeof v === "string" && v !== "";
  for (const f of spec.required ?? []) if (!nonEmptyString(b[f])) fail(f);
  if (spec.anyOf && !spec.anyOf.some((f) => nonEmptyString(b[f]))) fail(spec.anyOf[0]);
  for (const f of [...(spec.anyOf ?? []), ...(spec.optionalStrings ?? [])]) {
    if (b[f] !== undefined && typeof b[f] !== "string") fail(f, "a string");
  }
  spec.check?.(b, fail);
  if (PART_BINDING_TYPES.includes(type) && opts.partNames && !opts.partNames.has(b.part as string)) {
    throw errors.workerValidation(`binding ${name} of type ${type} references the part '${String(b.part)}', which was not uploaded`);
  }
  return structuredClone(b) as Binding;
}

/**
 * Applies `inherit` bindings and `keep_bindings` against the previous version's bindings:
 * an `inherit` binding takes the previous binding named `old_name` (default: its own name) under
 * its own name; unresolvable ones are dropped, or refused (400 / 10021) with
 * `?bindings_inherit=strict`. Then previous bindings whose type is in `keepTypes` and whose name is
 * not taken are carried over.
 */
export function resolveBindings(
  bindings: Binding[],
  previous: readonly Binding[] | undefined,
  keepTypes: readonly string[],
  strict: boolean,
): Binding[] {
  const prev = previous ?? [];
  const out: Binding[] = [];
  for (const b of bindings) {
    if (b.type !== "inherit") {
      out.push(b);
      continue;
    }
    const from = typeof b.old_name === "string" ? b.old_name : b.name;
    const versionOk = b.version_id === undefined || b.version_id === "latest";
    const source = versionOk ? prev.find((p) => p.name === from) : undefined;
    if (source) {
      out.push({ ...structuredClone(source), name: b.name });
    } else if (strict) {
      throw errors.workerValidation(
        `binding ${b.name} of type inherit could not be resolved: ${
          versionOk ? `the current version has no binding named '${from}'` : `version '${String(b.version_id)}' is not available`
        }`,
      );
    }
  }
  const taken = new Set(out.map((b) => b.name));
  for (const p of prev) {
    if (keepTypes.includes(p.type) && !taken.has(p.name)) {
      out.push(structuredClone(p));
      taken.add(p.name);
    }
  }
  return out;
}

/** A binding as the API shows it: secret values (`text`, `key_base64`, `key_jwk`) removed. */
export function publicBinding(b: Binding): Binding {
  const copy = structuredClone(b);
  for (const field of SECRET_VALUE_FIELDS[b.type] ?? []) delete copy[field];
  return copy;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
