// Objects made outside Pulumi, taken over with the `import` resource option. The ids come from
// stack config because Cloudflare chose some of them (the KV namespace's).
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, KVNamespace, NamespacedWorkerScript } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const namespace = config.require("namespace");
const scriptName = config.require("script");

const tenants = new DispatchNamespace("tenants", { namespace }, { import: namespace });
const settings = new KVNamespace("settings", { title: config.require("kvTitle") }, { import: config.require("kvId") });

// What the program declares is what the tenant keeps; its secret, set outside Pulumi, is not declared.
const tenant = new NamespacedWorkerScript(
  "tenant",
  {
    namespace: tenants,
    name: scriptName,
    content: config.require("code"),
    compatibilityDate: config.require("compatibilityDate"),
    bindings: { GREETING: config.require("greeting"), SETTINGS: settings },
    tags: config.requireObject<string[]>("tags"),
    limits: { cpuMs: config.requireNumber("cpuMs") },
  },
  { import: `${namespace}/${scriptName}` },
);

export const namespaceId = tenants.namespaceId;
export const kvId = settings.namespaceId;
export const tenantEtag = tenant.etag;
