/**
 * Where a Worker script lives — a dispatch namespace (user Workers) or the account itself (e.g. the
 * dispatcher). The shared script handlers (script-handlers.ts, script-secrets.ts) take a host, so
 * both containers answer uploads, settings, content and secrets identically.
 */
import type { RequestContext } from "../context";
import { errors, type ApiError } from "../envelope";
import type { NameRule } from "../validation";
import { ACCOUNT_SCRIPT_NAME_RULE, SCRIPT_NAME_RULE } from "../validation";
import { findScript, type ScriptContainer } from "../workers/store";
import type { ScriptHistory } from "../workers/history";
import type { ScriptRecord } from "../workers/types";
import { requireVisibleNamespace } from "./dispatch-namespaces";

export interface ScriptHost {
  /** Route pattern of one script, e.g. `/accounts/:accountId/workers/scripts/:script`. */
  readonly scriptPath: string;
  /** Rule for the `:script` name on upload (400 / 10016 otherwise). */
  readonly nameRule: NameRule;
  /** Whether upload metadata and settings may carry `annotations` (account-level Workers only, per the SDK). */
  readonly annotations: boolean;
  /** The container named by the request path; throws the parent's 404 (e.g. 100119 for a namespace). */
  container(ctx: RequestContext): ScriptContainer;
  /** Drops per-script state kept outside the record (e.g. the workers.dev toggle) after a delete. */
  onRemoved?(ctx: RequestContext, name: string): void;
  /** Versions and deployments by script name, for containers whose Workers are versioned (account level, SOURCES.md §5.5). */
  histories?(ctx: RequestContext): Record<string, ScriptHistory>;
  /** The answer for a missing script (default 404 / 10007). */
  notFound?(): ApiError;
}

const NAMESPACE_SCRIPTS = "/accounts/:accountId/workers/dispatch/namespaces/:namespace/scripts";
const ACCOUNT_SCRIPTS = "/accounts/:accountId/workers/scripts";

export const namespaceHost: ScriptHost = {
  scriptPath: `${NAMESPACE_SCRIPTS}/:script`,
  nameRule: SCRIPT_NAME_RULE,
  annotations: false,
  container: (ctx) => requireVisibleNamespace(ctx).scripts,
};

export const accountHost: ScriptHost = {
  scriptPath: `${ACCOUNT_SCRIPTS}/:script`,
  nameRule: ACCOUNT_SCRIPT_NAME_RULE,
  annotations: true,
  // The server's account guard has already checked that the account exists.
  container: (ctx) => ctx.state.getAccount(ctx.params.accountId)!.scripts,
  histories: (ctx) => ctx.state.getAccount(ctx.params.accountId)!.scriptHistory,
  onRemoved: (ctx, name) => {
    const account = ctx.state.getAccount(ctx.params.accountId)!;
    delete account.workersDev.scripts[name];
    delete account.scriptHistory[name];
    delete account.schedules?.[name];
  },
};

/** Account-level Workers seen through the legacy "service" paths wrangler still calls (SOURCES.md §5). */
export const serviceHost: ScriptHost = {
  ...accountHost,
  scriptPath: "/accounts/:accountId/workers/services/:script",
  notFound: errors.serviceNotFound,
};

/** Path bases of the two script collections (list, delete-by-tags). */
export const SCRIPT_COLLECTIONS = { namespace: NAMESPACE_SCRIPTS, account: ACCOUNT_SCRIPTS } as const;

/** The script named by `:script` in the host's container; the host's 404 (10007 by default) when absent. */
export function requireScript(ctx: RequestContext, host: ScriptHost): ScriptRecord {
  const script = findScript(host.container(ctx), ctx.params.script);
  if (!script) throw host.notFound?.() ?? errors.scriptNotFound();
  return script;
}
