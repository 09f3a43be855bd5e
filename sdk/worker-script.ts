import * as pulumi from "@pulumi/pulumi";
import type { CustomDomain, WorkerRoute } from "../provider";
import type { BindingSpecOf } from "./runtime-env";
import type { Bindable } from "./bindable";
import type { CloudflareCredentialArgs } from "./credentials";
import { ScriptResource, type ScriptResourceArgs } from "./script-resource";
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
  /**
   * Custom domains: hostnames whose every path Cloudflare sends to this Worker (it creates their DNS
   * records and certificates). Each is the apex or a subdomain of a zone of the account, given by
   * `zoneId` (32 hex characters; checked at `preview`) or found from the hostname when omitted.
   * Attached after the upload, detached before the Worker is deleted; a dispatcher replaced under
   * a new name takes its domains over. A zone route on the same hostname takes precedence.
   * @default no custom domains
   * @example [{ hostname: "platform.example.com" }]
   */
  customDomains?: pulumi.Input<pulumi.Input<{ hostname: pulumi.Input<string>; zoneId?: pulumi.Input<string> }>[]>;
  /**
   * Cron triggers: on each schedule (five fields, UTC: minute hour day-of-month month day-of-week) Cloudflare
   * runs the Worker's `scheduled` handler. Set after the upload as one list, read back on refresh, removed
   * before the Worker is deleted; an empty list removes them.
   * @default no cron triggers
   * @example ["0 3 * * *", "*\/15 * * * MON-FRI"]
   */
  crons?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * An account-level Worker: typically the dispatcher of a Workers for Platforms platform, bound to a
 * `DispatchNamespace` (`bindings: { TENANTS: namespace }`) and reached through zone routes or custom domains.
 *
 * One upload per create or update carries code, bindings and configuration; routes, workers.dev and
 * custom domains are applied after it, only when they change, and removed before the script is deleted.
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
  /** The cron triggers as the program gave them. */
  declare readonly crons: pulumi.Output<string[] | undefined>;
  /** The custom domains as the program gave them. */
  declare readonly customDomains: pulumi.Output<CustomDomain[] | undefined>;
  /** Cloudflare's id of each custom domain, by hostname, e.g. `{ "platform.example.com": "dbe10b4bc17c295377eabd600e1787fd" }`. */
  declare readonly customDomainIds: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: WorkerScriptArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "WorkerScript",
      name,
      args,
      { routes: args.routes, workersDev: args.workersDev, customDomains: args.customDomains, crons: args.crons },
      ["routes", "routeIds", "customDomains", "customDomainIds", "crons"],
      opts,
    );
  }

  /**
   * Reads an existing account-level Worker without managing it.
   *
   * @param id the script's name, the id a managed WorkerScript has.
   * @param state credentials, if not from the stack config or environment.
   * @example const router = WorkerScript.get("router", "platform-router");
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: CloudflareCredentialArgs,
    opts?: pulumi.CustomResourceOptions,
  ): WorkerScript {
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
