/**
 * What the `import` command reads from Cloudflare, in the shapes the provider's inputs take: the
 * reader fills it, the writer turns it into a program. Configuration is the provider's own mapping
 * of Cloudflare's settings (`reportedConfig`), so a setting the provider learns to read reaches the
 * generated program without a change here.
 */
import type { CustomHostnameInputs } from "../provider/resources/custom-hostname";
import type { WorkerModule } from "../provider/workers/bundle";
import type { WorkerConfigInputs } from "../provider/workers/config";

export interface ImportedScript {
  scriptName: string;
  /** The entry module's name. */
  mainModule: string;
  /** Every module, as Cloudflare's content endpoint returns it (names kept). */
  modules: WorkerModule[];
  /** The settings someone chose (Cloudflare's defaults left out), in the provider's input spelling. */
  config: WorkerConfigInputs;
  /** Whether it serves static assets (the list's `has_assets`); the import does not read them. */
  hasAssets?: boolean;
  /** The last Durable Object migration it ran (the list's `migration_tag`), when it ran any. */
  migrationTag?: string;
}

/** An account-level Worker bound to the namespace (a dispatcher), with its zone routes and cron triggers. */
export interface ImportedDispatcher extends ImportedScript {
  routes: Array<{ pattern: string; zoneId: string }>;
  /** Its cron triggers (absent or empty: none). */
  crons?: string[];
}

/** A zone a dispatcher routes on, with what Cloudflare for SaaS keeps in it. */
export interface ImportedZone {
  zoneId: string;
  /** The zone's domain, e.g. "platform.example.com". */
  name: string;
  /** The zone's fallback origin, when it has one. */
  fallbackOrigin?: string;
  /** Its custom hostnames, by hostname: each one's id and the provider's inputs declaring it as it is. */
  customHostnames: Array<{ id: string; inputs: CustomHostnameInputs }>;
}

export interface ImportedKVNamespace {
  id: string;
  title: string;
}

export interface ImportedPlatform {
  accountId: string;
  namespace: { name: string; trustedWorkers: boolean };
  /** The namespace's scripts, by name. */
  tenants: ImportedScript[];
  /** Account-level scripts whose bindings name the namespace, by name. */
  dispatchers: ImportedDispatcher[];
  /** KV namespaces of this account that the scripts bind by id, by title. */
  kvNamespaces: ImportedKVNamespace[];
  /** The zones the dispatchers route on, by name, with their fallback origin and custom hostnames. */
  zones: ImportedZone[];
}
