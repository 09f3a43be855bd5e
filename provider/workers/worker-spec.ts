/**
 * What one Worker script is made of, wherever it is declared (a NamespacedWorkerScript, a
 * WorkerScript, one tenant of a TenantFleet): its code, its configuration and bindings, and its
 * static assets. Every operation on one script (spec rules, upload, taking over, comparison) takes
 * this shape, so a Cloudflare feature of a script is added here once and every path has it.
 */
import type { AssetsInputs } from "./assets";
import type { CodeInputs } from "./code";
import type { WorkerConfigInputs } from "./config";

export interface WorkerSpec extends CodeInputs, WorkerConfigInputs {
  /** Static assets served with the script: a directory and how to serve it. */
  assets?: AssetsInputs;
}
