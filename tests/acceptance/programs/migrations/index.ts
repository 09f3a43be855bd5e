// A tenant whose count lives in a Durable Object, reached through a dispatcher on a custom domain.
// Config `step` is the migration the tenant is at: v1 creates the class Counter; v2 renames it to
// Tally, a step that applies to a script at tag v1 (oldTag) and leaves it at tag v2.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace, NamespacedWorkerScript, WorkerScript, durableObject, type Migrations } from "pulumi-cloudflare-wfp";

const step = new pulumi.Config().get("step") ?? "v1";
const steps: Record<string, { className: string; migrations: Migrations }> = {
  v1: { className: "Counter", migrations: { newTag: "v1", newSqliteClasses: ["Counter"] } },
  v2: { className: "Tally", migrations: { oldTag: "v1", newTag: "v2", renamedClasses: [{ from: "Counter", to: "Tally" }] } },
};
const { className, migrations } = steps[step];

const namespace = new DispatchNamespace("tenants", { namespace: "migrating-tenants" });

const counter = new NamespacedWorkerScript("counter", {
  namespace,
  scriptName: "counter",
  content: `import { DurableObject } from "cloudflare:workers";
export class ${className} extends DurableObject {
  async increment() {
    const count = ((await this.ctx.storage.get("count")) ?? 0) + 1;
    await this.ctx.storage.put("count", count);
    return count;
  }
}
export default {
  async fetch(request, env) {
    const stub = env.COUNTER.get(env.COUNTER.idFromName("visits"));
    return Response.json({ class: "${className}", count: await stub.increment() });
  },
};`,
  compatibilityDate: "2025-01-01",
  bindings: { COUNTER: durableObject(className) },
  migrations,
});

new WorkerScript("front", {
  scriptName: "migrations-front",
  content: `export default { fetch(request, env) { return env.TENANTS.get("counter").fetch(request); } };`,
  compatibilityDate: "2025-01-01",
  bindings: { TENANTS: namespace },
  customDomains: [{ hostname: "counter.example.com" }],
});

export const migrationTag = counter.migrationTag;
