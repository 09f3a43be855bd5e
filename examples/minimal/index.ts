// The seed's "Minimal Example": a dispatch namespace for multi-tenant worker deployment.
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const namespace = new DispatchNamespace("tenant-workers", {
  namespace: "production-tenants",
});

export const namespaceName = namespace.namespace;
export const namespaceId = namespace.namespaceId;
