// A namespace and `count` tenants. `adopt` takes over a namespace that exists already (one a killed
// `pulumi up` created after its state was last saved).
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, NamespacedWorkerScript } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const namespace = new DispatchNamespace("tenants", { namespace: config.require("namespace"), adopt: config.getBoolean("adopt") });

const count = config.requireNumber("count");
for (let i = 1; i <= count; i++) {
  const name = `tenant-${i}`;
  new NamespacedWorkerScript(name, {
    namespace,
    name,
    content: `export default { fetch() { return new Response(${JSON.stringify(name)}); } };`,
    compatibilityDate: "2025-01-01",
  });
}

export const namespaceId = namespace.namespaceId;
