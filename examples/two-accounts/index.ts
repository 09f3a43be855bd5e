// Two Cloudflare accounts in one program: each CloudflareAccount carries its own credentials, and
// every resource names the account it belongs to instead of repeating them.
import * as pulumi from "@pulumi/pulumi";
import { CloudflareAccount, DispatchNamespace, NamespacedWorkerScript } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();

const accounts = {
  staging: new CloudflareAccount({ accountId: config.require("stagingAccountId"), apiToken: config.requireSecret("stagingToken") }),
  production: new CloudflareAccount({
    accountId: config.require("productionAccountId"),
    apiToken: config.requireSecret("productionToken"),
  }),
};

export const namespaces: Record<string, pulumi.Output<string>> = {};
for (const [stage, account] of Object.entries(accounts)) {
  const tenants = new DispatchNamespace(`${stage}-tenants`, { namespace: "customer-workers", account });
  new NamespacedWorkerScript(`${stage}-welcome`, {
    namespace: tenants,
    scriptName: "welcome",
    content: `export default { fetch() { return new Response("welcome to ${stage}") } }`,
    compatibilityDate: "2025-01-01",
    account,
  });
  namespaces[stage] = tenants.namespaceId;
}
