// The benchmark's platform, shaped by stack config so `npm run bench` can walk it through its
// scenarios: `tenants` (N), `codeVersion` (> 0 gives tenant 0 its own inline code, so exactly one
// tenant changes), `sharedVersion` (recorded only: the bench edits src/shared.ts itself, the way a
// developer changes code every tenant imports). Tenants differ by a JSON binding, not by code, so
// all of them bundle from the one entrypoint.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, NamespacedWorkerScript, WorkerScript, json } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const tenants = config.requireNumber("tenants");
const codeVersion = config.getNumber("codeVersion") ?? 0;

const namespace = new DispatchNamespace("tenants", { namespace: config.get("namespace") ?? "bench-tenants" });

for (let i = 0; i < tenants; i++) {
  const name = `tenant-${String(i).padStart(4, "0")}`;
  const ownCode = i === 0 && codeVersion > 0;
  new NamespacedWorkerScript(name, {
    namespace,
    ...(ownCode
      ? { content: `export default { fetch() { return new Response(${JSON.stringify(`${name} v${codeVersion}`)}) } }` }
      : { entrypoint: "src/tenant.ts" }),
    compatibilityDate: "2025-01-01",
    bindings: { TENANT: json({ id: name, plan: i % 3 === 0 ? "pro" : "free" }) },
    tags: [`plan-${i % 3 === 0 ? "pro" : "free"}`],
  });
}

const dispatcher = new WorkerScript("dispatcher", {
  name: "bench-dispatcher",
  entrypoint: "src/dispatcher.ts",
  compatibilityDate: "2025-01-01",
  bindings: { TENANTS: namespace },
});

export const namespaceId = namespace.namespaceId;
export const dispatcherName = dispatcher.scriptName;
export const sharedVersion = config.getNumber("sharedVersion") ?? 1;
