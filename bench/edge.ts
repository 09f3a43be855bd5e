/**
 * Measures the emulator's local runtime as a platform team would feel it: N tenants and a
 * dispatcher uploaded through the API, then requests through the edge.
 *
 *   npm run bench:edge -- --tenants 50 --requests 200
 *
 * Prints: time to the first answer (the runtime starts lazily: workerd start + first tenant load),
 * per-request latency through the edge (median, p95, round-robin over all tenants), and memory
 * (this process and the workerd processes it started).
 */
import Cloudflare from "cloudflare";
import { execFileSync } from "node:child_process";
import { edgeRequest, startEmulator } from "../emulator";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const tenants = flag("tenants", 50);
const requests = flag("requests", 200);

const TENANT = `export default { fetch(req, env) { return Response.json({ tenant: env.CONFIG.id, path: new URL(req.url).pathname }) } }`;
const DISPATCHER = `export default {
  async fetch(req, env) {
    const name = new URL(req.url).hostname.split(".")[0];
    try { return await env.TENANTS.get(name).fetch(req); }
    catch (e) { return new Response("no tenant " + name, { status: 404 }); }
  }
}`;

function upload(metadata: object, code: string): FormData {
  const form = new FormData();
  form.append(
    "metadata",
    new Blob([JSON.stringify({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata })], { type: "application/json" }),
    "metadata.json",
  );
  form.append("index.js", new Blob([code], { type: "application/javascript+module" }), "index.js");
  return form;
}

/** Resident memory (MiB) of the workerd processes whose parent is this process. */
function workerdRssMiB(): number {
  const out = execFileSync("ps", ["-eo", "ppid,rss,comm"], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([ppid, , comm]) => Number(ppid) === process.pid && comm?.startsWith("workerd"))
    .reduce((sum, [, rss]) => sum + Number(rss) / 1024, 0);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const emu = await startEmulator({ edge: { port: 0, onLog: () => undefined, onWarning: () => undefined } });
  try {
    const cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url });
    const account = `/accounts/${emu.accountId}`;
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "tenants" });
    for (let i = 0; i < tenants; i++) {
      await cf.put(`${account}/workers/dispatch/namespaces/tenants/scripts/t${i}`, {
        body: upload({ bindings: [{ type: "json", name: "CONFIG", json: { id: `t${i}` } }] }, TENANT),
      });
    }
    await cf.put(`${account}/workers/scripts/dispatcher`, {
      body: upload({ bindings: [{ type: "dispatch_namespace", name: "TENANTS", namespace: "tenants" }] }, DISPATCHER),
    });
    const zones = await cf.zones.list({ name: "example.com" });
    await cf.workers.routes.create({ zone_id: zones.result[0].id, pattern: "*.platform.example.com/*", script: "dispatcher" });

    let t0 = performance.now();
    const first = await edgeRequest(emu.edge!, "t0.platform.example.com", "/");
    const firstMs = performance.now() - t0;
    if (first.status !== 200) throw new Error(`first request answered ${first.status}: ${first.text}`);

    const latencies: number[] = [];
    for (let i = 0; i < requests; i++) {
      t0 = performance.now();
      const res = await edgeRequest(emu.edge!, `t${i % tenants}.platform.example.com`, "/x");
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
    }
    latencies.sort((a, b) => a - b);
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`tenants: ${tenants}, requests: ${requests} (round-robin over all tenants, each loaded on first use)`);
    console.log(`first answer (runtime start + first tenant): ${firstMs.toFixed(0)} ms`);
    console.log(
      `latency through the edge: median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
    );
    console.log(`memory: emulator process ${rss.toFixed(0)} MiB, workerd ${workerdRssMiB().toFixed(0)} MiB`);
  } finally {
    await emu.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
