import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const apiToken = config.getSecret("apiToken");
const credentials = { accountId: config.get("accountId"), ...(apiToken ? { apiToken } : {}) };
const namespace = config.get("namespace") ?? "bad-inputs";

// Where the code comes from: "content" (default), "entrypoint", "both" or "neither".
const code = config.get("code") ?? "content";
const content = 'export default { fetch() { return new Response("ok") } }';
const entrypoint = config.get("entrypoint") ?? "src/ok.ts";
const bindingType = config.get("bindingType");

new wfp.DispatchNamespace("namespace", { namespace, ...credentials });

new wfp.NamespacedWorkerScript("worker", {
  // By name (not the resource), so the tenant's own checks see the value during preview.
  namespace,
  scriptName: config.get("scriptName") ?? "worker",
  ...(code === "content" || code === "both" ? { content } : {}),
  ...(code === "entrypoint" || code === "both" ? { entrypoint } : {}),
  compatibilityDate: config.get("compatibilityDate") ?? "2024-09-23",
  // A binding kind the sdk has no helper for, as a user bypassing the types would write it.
  bindings: bindingType ? { X: wfp.binding({ type: bindingType } as any) } : {},
  ...credentials,
});
