// Alchemy's "Minimal Example" (examples/README.md): a dispatch namespace for multi-tenant worker deployment.
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const namespace = new DispatchNamespace("tenant-workers", {
  namespace: "production-tenants",
});

// The second page's minimal example: a basic dispatch namespace for user workers.
const userNamespace = new DispatchNamespace("user-workers", {
  namespace: "user-workers",
});

export const namespaceName = namespace.namespace;
export const namespaceId = namespace.namespaceId;
export const userNamespaceName = userNamespace.namespace;
