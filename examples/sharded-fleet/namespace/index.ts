// The namespace every shard deploys into, owned by this stack alone: shards name it and never create or delete it.
// Its packages are the example's (../node_modules), as the shard project's are.
// The platform's dispatcher Worker, bound to this namespace, belongs here too: it serves every shard's tenants.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const namespace = new DispatchNamespace("tenants", { namespace: config.get("namespace") ?? "customer-workers" });

export const name = namespace.namespace;
export const namespaceId = namespace.namespaceId;
