/**
 * pulumi-cloudflare-wfp: Cloudflare Workers for Platforms resources for Pulumi programs.
 */
export { DispatchNamespace } from "./dispatch-namespace";
export type { DispatchNamespaceArgs } from "./dispatch-namespace";
export type { CloudflareCredentialArgs } from "./credentials";
