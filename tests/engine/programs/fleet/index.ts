import * as pulumi from "@pulumi/pulumi";
import * as wfp from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const tenants = config.requireNumber("tenants");
// Given as secret config, the token is passed to every resource as an input (not read from the environment).
const apiToken = config.getSecret("apiToken");
const credentials = apiToken ? { apiToken } : {};
// When set, every tenant gets a secret binding derived from it: "<signingKey>-<n>".
const signingKey = config.getSecret("signingKey");

const ns = new wfp.DispatchNamespace("fleet", { namespace: config.require("namespace"), ...credentials });

for (let i = 0; i < tenants; i++) {
  const name = `tenant-${String(i).padStart(3, "0")}`;
  new wfp.NamespacedWorkerScript(name, {
    namespace: ns,
    content: `export default { fetch() { return new Response(${JSON.stringify(`hello from ${name}`)}) } }`,
    compatibilityDate: "2024-09-23",
    bindings: signingKey ? { SIGNING_KEY: wfp.secret(pulumi.interpolate`${signingKey}-${i}`) } : {},
    ...credentials,
  });
}
export const namespaceId = ns.namespaceId;
