// A tenant whose tag (`plan`) and secret (`apiKey`, set with `pulumi config set --secret`) come from
// config: changing either is a platform's daily work, and neither changes the tenant's code.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, NamespacedWorkerScript, json, secret } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const namespace = new DispatchNamespace("tenants", { namespace: "edits" });

new NamespacedWorkerScript("shop", {
  namespace,
  name: "shop",
  content: `export default { fetch(request, env) { return new Response(env.API_KEY.length + " " + env.SETTINGS.theme); } };`,
  compatibilityDate: "2025-01-01",
  tags: [`plan-${config.require("plan")}`],
  bindings: { API_KEY: secret(config.requireSecret("apiKey")), SETTINGS: json({ theme: "dark" }) },
});
