import { DispatchNamespace, KVNamespace, NamespacedWorkerScript, WorkerScript } from "pulumi-cloudflare-wfp";

// Deliberately a plain string, not a Pulumi secret: the package must encrypt the token itself. (From
// the environment, because Pulumi keeps the whole stack config, plain values plainly, in the state of
// the dynamic provider: a config value meant to be secret must be set with --secret.)
const apiToken = process.env.WFP_PLAIN_TOKEN ?? "";

const ns = new DispatchNamespace("tenants", { namespace: "plain-token-tenants", apiToken });
const kv = new KVNamespace("data", { title: "plain-token-data", apiToken });
new NamespacedWorkerScript("tenant", {
  namespace: ns,
  scriptName: "tenant",
  content: 'export default { fetch() { return new Response("ok") } }',
  bindings: { DATA: kv },
  apiToken,
});
new WorkerScript("router", {
  scriptName: "plain-token-router",
  content: 'export default { fetch() { return new Response("router") } }',
  bindings: { TENANTS: ns },
  apiToken,
});
