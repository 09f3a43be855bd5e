/**
 * workers.dev: the account's subdomain (`<subdomain>.workers.dev`) and, per account-level Worker,
 * whether it is served at `<script>.<subdomain>.workers.dev` (and its preview URLs).
 */

export interface ScriptSubdomain {
  enabled: boolean;
  previews_enabled: boolean;
}

export interface WorkersDevRecord {
  /** null until one is registered (GET answers 404 / 10007 then). */
  subdomain: string | null;
  /** Toggles of account-level Workers, keyed by script name; a Worker not listed has the default. */
  scripts: Record<string, ScriptSubdomain>;
}

/**
 * [INF] A Worker uploaded through the API is not on workers.dev until enabled (third-party reports:
 * "after your first upload … turn on the workers.dev toggle; this persists across deployments").
 */
export const DEFAULT_SCRIPT_SUBDOMAIN: Readonly<ScriptSubdomain> = { enabled: false, previews_enabled: false };

/** [INF] Account subdomains: one DNS label, 1–63 chars of a-z, 0-9 and '-', not starting or ending with '-'. */
export const WORKERS_DEV_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function emptyWorkersDev(): WorkersDevRecord {
  return { subdomain: null, scripts: {} };
}

/** The Worker's toggle (own-property lookup: a name like "constructor" must not hit Object.prototype). */
export function scriptSubdomain(wd: WorkersDevRecord, script: string): ScriptSubdomain {
  const own = Object.prototype.hasOwnProperty.call(wd.scripts, script) ? wd.scripts[script] : undefined;
  return { ...(own ?? DEFAULT_SCRIPT_SUBDOMAIN) };
}
