/**
 * Shared by the namespace-script routes: the path base, resolving `:namespace` (404 / 100119,
 * honouring the visibility delay) and `:script` (404 / 10007), and reading request headers.
 */
import type { RequestContext } from "../context";
import { errors } from "../envelope";
import type { NamespaceRecord } from "../state";
import { findScript } from "../workers/store";
import type { ScriptRecord } from "../workers/types";
import { requireVisibleNamespace } from "./dispatch-namespaces";

export const SCRIPTS_BASE = "/accounts/:accountId/workers/dispatch/namespaces/:namespace/scripts";
export const SCRIPT_PATH = `${SCRIPTS_BASE}/:script`;

/** The namespace and the script named in the path; 404 / 100119 or 404 / 10007 otherwise. */
export function requireScript(ctx: RequestContext): { ns: NamespaceRecord; script: ScriptRecord } {
  const ns = requireVisibleNamespace(ctx);
  const script = findScript(ns.scripts, ctx.params.script);
  if (!script) throw errors.scriptNotFound();
  return { ns, script };
}

/** A request header as one string (first value), undefined when absent or empty. */
export function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === "" ? undefined : s;
}
