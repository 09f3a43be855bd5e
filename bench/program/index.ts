// The benchmark's platform, shaped by stack config so `npm run bench` can walk it through its
// scenarios: `tenants` (N), `codeVersion` (> 0 gives tenant 0 its own inline code, so exactly one
// tenant changes), `sharedVersion` (recorded only: the bench edits src/shared.ts itself, the way a
// developer changes code every tenant imports), `fleet` (declare the tenants as one TenantFleet).
// Tenants differ by a JSON binding, not by code, so all of them bundle from the one entrypoint.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, NamespacedWorkerScript, TenantFleet, WorkerScript, json } from "pulumi-cloudflare-wfp";

const config = new pulumi.Config();
const tenants = config.requireNumber("tenants");
const codeVersion = config.getNumber("codeVersion") ?? 0;

const namespace = new DispatchNamespace("tenants", { namespace: config.get("namespace") ?? "bench-tenants" });

const tenantNames = Array.from({ length: tenants }, (_, i) => `tenant-${String(i).padStart(4, "0")}`);
const plan = (i: number) => (i % 3 === 0 ? "pro" : "free");
const ownCode = (name: string) => `export default { fetch() { return new Response(${JSON.stringify(`${name} v${codeVersion}`)}) } }`;

if (config.getBoolean("fleet")) {
  // `npm run bench -- --fleet`: the same tenants as one resource, written with plain values (no Output per tenant).
  new TenantFleet("tenants", {
    namespace,
    defaults: { entrypoint: "src/tenant.ts", compatibilityDate: "2025-01-01" },
    tenants: Object.fromEntries(
      tenantNames.map((name, i) => [
        name,
        {
          ...(i === 0 && codeVersion > 0 ? { content: ownCode(name) } : {}),
          bindings: { TENANT: { type: "json" as const, json: { id: name, plan: plan(i) } } },
          tags: [`plan-${plan(i)}`],
        },
      ]),
    ),
  });
} else {
  tenantNames.forEach((name, i) => {
    new NamespacedWorkerScript(name, {
      namespace,
      ...(i === 0 && codeVersion > 0 ? { content: ownCode(name) } : { entrypoint: "src/tenant.ts" }),
      compatibilityDate: "2025-01-01",
      bindings: { TENANT: json({ id: name, plan: plan(i) }) },
      tags: [`plan-${plan(i)}`],
    });
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
