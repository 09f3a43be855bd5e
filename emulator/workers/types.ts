/**
 * The stored shape of a Worker ("script"), independent of where it lives: a dispatch namespace
 * (`namespace.scripts`) or the account itself (`account.scripts`). Everything here is plain
 * JSON so `state.json` can hold it as is (bytes are base64).
 */
import type { ScriptAssets } from "./assets";

/** A binding as stored (`{ name, type, ...fields }`); secret values are kept here and stripped in views. */
export interface Binding {
  name: string;
  type: string;
  [field: string]: unknown;
}

export type UsageModel = "standard" | "bundled" | "unbound";

/** One part of a multipart request, exactly as received. */
export interface PartRecord {
  /** The form field name (`Content-Disposition: form-data; name="…"`). */
  name: string;
  /** The `filename` parameter; null for a plain field. */
  filename: string | null;
  /** The part's `Content-Type` header as sent; null when absent. */
  content_type: string | null;
  size: number;
  /** sha256 hex of the bytes. */
  sha256: string;
  content_base64: string;
}

/** A module (code or data file) of the Worker. */
export interface ModuleRecord {
  /** Module name: the part's filename, falling back to its form field name. */
  name: string;
  /** The form field it came in. */
  part_name: string;
  /** Content-Type as sent (RFC 7578 default `text/plain` when the part had none). */
  content_type: string;
  size: number;
  sha256: string;
  content_base64: string;
}

/** The code of a Worker: what an upload or `PUT …/content` replaces. */
export interface WorkerCode {
  /** true = ES modules (`main_module`), false = service-worker syntax (`body_part`). */
  has_modules: boolean;
  /** Name of the entry module (main module, or the body part for service-worker syntax). */
  main_module: string;
  /** Entry module first, then the others in upload order. */
  modules: ModuleRecord[];
  /** Event handlers found in the entry module (simple scan), default ["fetch"]. */
  handlers: string[];
  /** sha256 hex over the code (module names, content types, bytes) and the entry-point choice. */
  etag: string;
}

/** Configuration ("settings") of a Worker: what an upload replaces and `PATCH …/settings` edits. */
export interface WorkerConfig {
  /** Includes `secret_text` / `secret_key` bindings with their values (never returned by the API). */
  bindings: Binding[];
  compatibility_date: string;
  compatibility_flags: string[];
  tags: string[];
  usage_model: UsageModel;
  logpush: boolean;
  has_assets: boolean;
  /** Static assets (manifest + `assets.config`); absent when the version has none. */
  assets?: ScriptAssets;
  placement?: Record<string, unknown>;
  observability?: Record<string, unknown>;
  limits?: { cpu_ms?: number; subrequests?: number };
  tail_consumers?: Array<Record<string, unknown>> | null;
  migration_tag?: string;
  /** Classes with a Durable Object namespace, as the applied migrations left them (migrations.ts). */
  durable_object_classes?: string[];
  /** Class → id of its Durable Object namespace (migrations.ts `namespaceIdOf`); never shown by the API. */
  durable_object_namespaces?: Record<string, string>;
  /** Version annotations (`workers/message`, `workers/tag`); account-level Workers only. */
  annotations?: Record<string, string>;
}

/** What the client sent in the last request that set the code (upload or `PUT …/content`). */
export interface WorkerUploadRecord {
  /** The `metadata` JSON as received (parsed); null when the request had none (plain script body, header-only content PUT). */
  metadata: unknown;
  /** Every part of that request in order, the metadata part included (a non-multipart body is one part named `worker.js`). */
  parts: PartRecord[];
}

/** A complete upload: code + configuration + what was sent. */
export type WorkerVersion = WorkerCode & WorkerConfig & WorkerUploadRecord;

/** A stored Worker. */
export interface ScriptRecord extends WorkerVersion {
  /** The script name (also `id` in API answers). */
  name: string;
  /** 32 hex, fixed at creation (stable across uploads). */
  tag: string;
  /** Kept across uploads; a delete + upload starts over. */
  created_on: string;
  modified_on: string;
}
