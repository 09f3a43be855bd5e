import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const importName = config.get("import");
const apiToken = config.getSecret("apiToken");

const ns = new DispatchNamespace(
  "tenants",
  {
    namespace: config.require("name"),
    adopt: config.getBoolean("adopt"),
    trustedWorkers: config.getBoolean("trustedWorkers"),
    accountId: config.get("accountId"),
    ...(apiToken ? { apiToken } : {}),
  },
  importName ? { import: importName } : undefined,
);

export const namespace = ns.namespace;
export const namespaceId = ns.namespaceId;
export const accountId = ns.accountId;
export const scriptCount = ns.scriptCount;
export const adopted = ns.adopted;
export const createdOn = ns.createdOn;
