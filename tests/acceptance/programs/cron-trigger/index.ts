// A dispatcher with cron triggers: its scheduled handler records the cron it ran for in KV, and its fetch
// handler shows it. Config `crons` (a JSON list) sets the schedules; `[]` removes them.
import * as pulumi from "@pulumi/pulumi";
import { KVNamespace, WorkerScript } from "pulumi-cloudflare-wfp";

const crons = new pulumi.Config().getObject<string[]>("crons") ?? ["0 3 * * *"];
const runs = new KVNamespace("runs", { title: "cron-runs" });

const nightly = new WorkerScript("nightly", {
  scriptName: "nightly-jobs",
  compatibilityDate: "2025-01-01",
  bindings: { RUNS: runs },
  routes: [{ pattern: "jobs.example.com/*" }],
  crons,
  content: `export default {
  async fetch(request, env) { return new Response((await env.RUNS.get("last-cron")) ?? "never ran"); },
  async scheduled(controller, env) { await env.RUNS.put("last-cron", controller.cron); },
};`,
});

export const schedules = nightly.crons;
