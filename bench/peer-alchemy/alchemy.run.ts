// The benchmark's workload written with Alchemy, as its docs show, for `npm run bench -- --peer alchemy`:
// one dispatch namespace, N tenants bundled from one shared entrypoint (they differ by a JSON binding),
// and a dispatcher bound to the namespace. The bench sets BENCH_TENANTS, BENCH_NAMESPACE and
// BENCH_CODE_VERSION (> 0 gives tenant 0 its own inline code) and runs `tsx alchemy.run.ts [--destroy]`.
import alchemy from "alchemy";
import { DispatchNamespace, Json, Worker } from "alchemy/cloudflare";

const tenants = Number(process.env.BENCH_TENANTS ?? "10");
const codeVersion = Number(process.env.BENCH_CODE_VERSION ?? "0");

const app = await alchemy("wfp-bench-peer", { stage: "bench", noTrack: true });

const namespace = await DispatchNamespace("tenants", { namespace: process.env.BENCH_NAMESPACE ?? "bench-tenants" });

await Promise.all(
  Array.from({ length: tenants }, (_, i) => {
    const name = `tenant-${String(i).padStart(4, "0")}`;
    const ownCode = i === 0 && codeVersion > 0;
    return Worker(name, {
      name,
      namespace,
      ...(ownCode
        ? { script: `export default { fetch() { return new Response(${JSON.stringify(`${name} v${codeVersion}`)}) } }` }
        : { entrypoint: "src/tenant.ts" }),
      compatibilityDate: "2025-01-01",
      bindings: { TENANT: Json({ id: name, plan: i % 3 === 0 ? "pro" : "free" }) },
    });
  }),
);

await Worker("dispatcher", {
  name: "bench-dispatcher",
  entrypoint: "src/dispatcher.ts",
  compatibilityDate: "2025-01-01",
  bindings: { TENANTS: namespace },
  url: false,
});

await app.finalize();
