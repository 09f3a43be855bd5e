import * as pulumi from "@pulumi/pulumi";
import type { WorkerRoute } from "../provider";
import type { BindingSpecOf } from "./runtime-env";
import type { Bindable } from "./bindable";
import type { CloudflareCredentialArgs } from "./credentials";
import { ScriptResource, ScriptResourceArgs } from "./script-resource";
import { isResourceOfKind } from "./type-tokens";

export interface WorkerScriptArgs extends ScriptResourceArgs {
  /**
   * Zone routes to this Worker: a pattern without a scheme, and the zone it belongs to (32 hex
   * characters), found from the pattern's host when omitted.
   * @default no routes
   * @example [{ pattern: "*.platform.example.com/*" }]
   */
  routes?: pulumi.Input<pulumi.Input<{ pattern: pulumi.Input<string>; zoneId?: pulumi.Input<string> }>[]>;
  /**
   * Serve the Worker on `<name>.<account subdomain>.workers.dev`.
   * @default left as Cloudflare has it
   */
  workersDev?: pulumi.Input<boolean>;
}

/**
 * An account-level Worker: typically the dispatcher of a Workers for Platforms platform, bound to a
 * `DispatchNamespace` (`bindings: { TENANTS: namespace }`) and reached through zone routes.
 *
 * One upload per create or update carries code, bindings and configuration; routes and workers.dev
 * are applied after it, only when they change, and routes are removed before the script is deleted.
 *
 * @example
 * new WorkerScript("router", {
 *   name: "platform-router",
 *   entrypoint: "src/router.ts",
 *   bindings: { TENANTS: tenants, TENANT_DATA: tenantData },
 *   routes: [{ pattern: "*.platform.example.com/*" }],
 * });
 *
 * ## Import
 * Take over an existing Worker with `{ import: "<name>" }` (a missing one fails at `preview`), as for
 * `NamespacedWorkerScript`. Type token: `pulumi-nodejs:dynamic/cloudflare-wfp:WorkerScript`.
 */
export class WorkerScript extends ScriptResource implements Bindable {
  /** The routes as the program gave them. */
  declare readonly routes: pulumi.Output<WorkerRoute[] | undefined>;
  /** Cloudflare's id of each route, by its pattern, e.g. `{ "*.platform.example.com/*": "9a7806061c88ada191ed06f989cc3dac" }`. */
  declare readonly routeIds: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: WorkerScriptArgs, opts?: pulumi.CustomResourceOptions) {
    super("WorkerScript", name, args, { routes: args.routes, workersDev: args.workersDev }, ["routes", "routeIds"], opts);
  }

  /**
   * Reads an existing account-level Worker without managing it.
   *
   * @param id the script's name, the id a managed WorkerScript has.
   * @param state credentials, if not from the stack config or environment.
   * @example const router = WorkerScript.get("router", "platform-router");
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CloudflareCredentialArgs, opts?: pulumi.CustomResourceOptions): WorkerScript {
    return new WorkerScript(name, { ...state }, { ...opts, id });
  }

  /** Whether `obj` is a WorkerScript, also one made by another copy of this package (`instanceof` is not). */
  static override isInstance(obj: unknown): obj is WorkerScript {
    return isResourceOfKind(obj, "WorkerScript");
  }

  /** As another Worker's binding: a service binding to this script. */
  asBinding(): pulumi.Output<BindingSpecOf<"service">> {
    return pulumi.output({ type: "service" as const, service: this.scriptName });
  }
}
