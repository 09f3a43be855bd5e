/**
 * `npm run bench:shards`: examples/sharded-fleet as K shard stacks (plus the namespace's stack) with their state in a
 * real S3-compatible object store (SeaweedFS, toolchain/object-store.ts) behind an `s3://` backend URL, every stack
 * against one emulator account. Measured, each as the `pulumi` command a user runs (lib/pulumi-cli.ts):
 *
 * 1. the K shards' first `up`s at once: the wall time against the paced floor (the requests the server counted at the
 *    limit's average rate: the shards share one account's limit), and how many requests were refused with 429;
 * 2. each shard's no-op `preview`, one after the other;
 * 3. a killed `up`: one shard is destroyed, then its `up` is killed with SIGKILL to its process group once a third of
 *    its tenants are uploaded; the documented recovery (docs/using/recovery.md: `cancel`, `refresh
 *    --clear-pending-creates`, `up`) follows, and the namespace must hold exactly the tenants the shards declare, each
 *    shard's state exactly its own.
 *
 * Prints a Markdown section for bench/results.md. The emulator keeps Cloudflare's documented limits: the window
 * (scaled with --rate-limit: say so when quoting a result), the block after exceeding it, 200 requests per second per IP.
 *
 *   npm run bench:shards -- [--shards 4] [--tenants 1000] [--rate-limit 200/20]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DOCUMENTED_PER_IP, startEmulator } from "../emulator";
import { shardOf } from "../sdk/shard";
import { engineEnv, repoRoot } from "../toolchain/engine-env";
import { fleetInState } from "../toolchain/fleet-state";
import { startObjectStore } from "../toolchain/object-store";
import { pacedFloorMs } from "./lib/metrics";
import { type Operation, operationArgs, runPulumi } from "./lib/pulumi-cli";
import { benchRoot, bundleCacheDir, installPackage, workspaceRoot } from "./lib/workspace";

const NAMESPACE = "sharded-customers";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      shards: { type: "string", default: "4" },
      tenants: { type: "string", default: "1000" },
      "rate-limit": { type: "string", default: "200/20" },
    },
  });
  const shardCount = Number(values.shards);
  const tenantCount = Number(values.tenants);
  const rateLimit = values["rate-limit"];
  const [limitRequests, limitSeconds] = rateLimit.split("/").map(Number);
  if (!(shardCount >= 1 && tenantCount >= 1 && limitRequests > 0 && limitSeconds > 0)) {
    throw new Error("usage: npm run bench:shards -- [--shards 4] [--tenants 1000] [--rate-limit 200/20]");
  }
  const windowMs = limitSeconds * 1000;
  const loadBefore = os.loadavg()[0];

  installPackage();
  const emu = await startEmulator({
    rateLimit: { requests: limitRequests, windowMs, blockMs: windowMs, perIp: { ...DOCUMENTED_PER_IP } },
  });
  const storeDir = path.join(benchRoot, "object-store");
  fs.rmSync(storeDir, { recursive: true, force: true });
  const store = await startObjectStore(storeDir);
  const logs = path.join(benchRoot, "logs");
  fs.mkdirSync(logs, { recursive: true });
  try {
    const backendUrl = await store.backendUrl("pulumi-state");
    const example = path.join(workspaceRoot, "stacks", "sharded-fleet");
    fs.rmSync(example, { recursive: true, force: true });
    fs.cpSync(path.join(repoRoot, "examples", "sharded-fleet"), example, { recursive: true });
    const project = path.join(example, "shard");
    const env = {
      // engineEnv's file backend is replaced by the object store's bucket.
      ...engineEnv({
        backendDir: path.join(benchRoot, "unused-backend"),
        pulumiHome: path.join(workspaceRoot, ".pulumi-home"),
        passphrase: "bench",
      }),
      PULUMI_BACKEND_URL: backendUrl,
      ...store.env,
      ...emu.env,
      // Every provider process paces itself to the account's limit and reads what Cloudflare says is left of it.
      CLOUDFLARE_WFP_RATE_LIMIT: rateLimit,
      CLOUDFLARE_WFP_BUNDLE_CACHE: bundleCacheDir,
    };
    const cli = (args: string[], cwd: string, log: string, extra: Partial<Parameters<typeof runPulumi>[1]> = {}) =>
      runPulumi(args, { cwd, env, onOutput: (text) => fs.appendFileSync(path.join(logs, log), text), ...extra });
    const run = (operation: Operation, stack: string, log: string) => cli(operationArgs(operation, stack, 0), project, log);
    const shards = Array.from({ length: shardCount }, (_, i) => `shard-${i}`);
    for (const file of fs.readdirSync(logs).filter((f) => f.startsWith("shards-"))) fs.rmSync(path.join(logs, file));

    // The namespace's own stack, then one stack per shard, all in the bucket.
    const namespaceDir = path.join(example, "namespace");
    await cli(["stack", "init", "platform", "--non-interactive"], namespaceDir, "shards-platform.log");
    await cli(["config", "set", "namespace", NAMESPACE, "--stack", "platform"], namespaceDir, "shards-platform.log");
    await cli(operationArgs("up", "platform", 0), namespaceDir, "shards-platform.log");
    for (const [i, stack] of shards.entries()) {
      await cli(["stack", "init", stack, "--non-interactive"], project, `shards-${stack}.log`);
      const config = { shardCount, shardIndex: i, tenantCount, namespace: NAMESPACE };
      const pairs = Object.entries(config).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
      await cli(["config", "set-all", ...pairs, "--stack", stack], project, `shards-${stack}.log`);
    }
    console.log(
      `bench:shards: ${shardCount} shards, ${tenantCount} tenants; rate limit ${rateLimit}` +
        (limitRequests === 1200 && limitSeconds === 300
          ? " (Cloudflare's)"
          : ` (Cloudflare's 1200/300 s scaled: ${((limitRequests / limitSeconds) * 0.25).toFixed(2)}x its rate)`) +
        `, 200/s per IP; state in SeaweedFS at ${store.endpoint} (${backendUrl.split("?")[0]})`,
    );

    // 1. Every shard's first up at once.
    emu.requests.clear();
    const started = Date.now();
    const upMs = await Promise.all(
      shards.map(async (stack) => {
        const t = Date.now();
        await run("up", stack, `shards-${stack}.log`);
        return Date.now() - t;
      }),
    );
    const wallMs = Date.now() - started;
    const refused = emu.requests.count({ status: 429 });
    const counted = emu.requests.count() - refused;
    const writes = emu.requests.writes().length;
    const failed5xx = emu.requests.count((e) => e.status !== null && e.status >= 500);
    const pacedMs = pacedFloorMs(counted, limitRequests, windowMs);
    const perShard = (await Promise.all(shards.map((stack) => fleetInState({ cwd: project, env, stack })))).map((s) => s.declared.length);
    console.log(`bench:shards: first ups done in ${seconds(wallMs)} s, tenants per shard ${perShard.join(" / ")}`);

    // 2. Each shard's no-op preview.
    const previews: Array<{ ms: number; changes: Record<string, number> }> = [];
    for (const stack of shards) {
      const t = Date.now();
      const changes = await run("preview", stack, `shards-${stack}.log`);
      previews.push({ ms: Date.now() - t, changes });
    }

    // 3. One shard's up killed a third of the way, then recovered.
    const victim = shards[shardCount - 1];
    const victimTenants = perShard[shardCount - 1];
    await run("destroy", victim, `shards-${victim}.log`);
    emu.requests.clear();
    const uploadPath = new RegExp(`/workers/dispatch/namespaces/${NAMESPACE}/scripts/[^/]+$`);
    const uploads = () => emu.requests.entries.filter((e) => e.method === "PUT" && uploadPath.test(e.path) && e.status === 200).length;
    let pid = 0;
    const target = Math.max(1, Math.floor(victimTenants / 3));
    const killedRun = cli(operationArgs("up", victim, 0), project, `shards-${victim}.log`, {
      detached: true,
      onStart: (child) => (pid = child.pid ?? 0),
    }).then(
      () => "finished",
      () => "killed",
    );
    while (uploads() < target) {
      if (await Promise.race([killedRun, sleep(100).then(() => undefined)]))
        throw new Error("the up to kill ended before a third of its uploads");
    }
    process.kill(-pid, "SIGKILL");
    const outcome = await killedRun;
    const atKill = uploads();
    // The provider, in a process group of its own, lets what it sent be answered and exits: wait until nothing moves.
    let settled = uploads();
    for (;;) {
      await sleep(2_000);
      if (uploads() === settled) break;
      settled = uploads();
    }
    emu.requests.clear();
    const recoveryStarted = Date.now();
    await cli(["cancel", "--yes", "--stack", victim, "--non-interactive"], project, `shards-${victim}.log`);
    await cli(
      ["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--stack", victim, "--non-interactive"],
      project,
      `shards-${victim}.log`,
    );
    await run("up", victim, `shards-${victim}.log`);
    const recoveryMs = Date.now() - recoveryStarted;
    const recoveryRequests = emu.requests.count();
    const recoveryUploads = uploads();
    const afterRecovery = await run("preview", victim, `shards-${victim}.log`);

    // Nothing lost, nothing orphaned: the namespace holds exactly what the shards declare, each state exactly its own.
    const states = await Promise.all(shards.map((stack) => fleetInState({ cwd: project, env, stack })));
    const problems: string[] = [];
    states.forEach((state, i) => {
      if (state.declared.join() !== state.deployed.join()) problems.push(`${shards[i]}: state's declared and deployed tenants differ`);
      if (state.declared.some((name) => shardOf(name, shardCount) !== i)) problems.push(`${shards[i]}: holds another shard's tenant`);
    });
    const declared = states.flatMap((s) => s.declared).sort();
    const inNamespace = emu.state
      .scripts(NAMESPACE)
      .map((s) => s.name)
      .sort();
    // Sets: at 100,000 tenants a list search per name would be 10^10 comparisons.
    const [declaredSet, inNamespaceSet] = [new Set(declared), new Set(inNamespace)];
    const lost = declared.filter((name) => !inNamespaceSet.has(name));
    const orphaned = inNamespace.filter((name) => !declaredSet.has(name));
    if (declaredSet.size !== tenantCount) problems.push(`the shards declare ${declaredSet.size} distinct tenants, not ${tenantCount}`);
    if (lost.length) problems.push(`lost: ${lost.slice(0, 5).join(", ")}${lost.length > 5 ? ` and ${lost.length - 5} more` : ""}`);
    if (orphaned.length)
      problems.push(`orphaned: ${orphaned.slice(0, 5).join(", ")}${orphaned.length > 5 ? ` and ${orphaned.length - 5} more` : ""}`);
    const cleanPreview = (changes: Record<string, number>) => Object.keys(changes).every((op) => op === "same");
    if (!cleanPreview(afterRecovery)) problems.push(`${victim}'s preview after recovery: ${JSON.stringify(afterRecovery)}`);
    previews.forEach((p, i) => cleanPreview(p.changes) || problems.push(`${shards[i]}'s no-op preview: ${JSON.stringify(p.changes)}`));

    const lines = [
      `### ${shardCount} shards x ${tenantCount / shardCount} tenants (${tenantCount} in all)`,
      "",
      `\`npm run bench:shards -- --shards ${shardCount} --tenants ${tenantCount} --rate-limit ${rateLimit}\`; ${new Date().toISOString()};` +
        ` ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after; rate limit ${rateLimit} s` +
        (limitRequests === 1200 && limitSeconds === 300 ? " (Cloudflare's)" : " (**scaled** from Cloudflare's 1200/300 s)") +
        `, 200/s per IP; no latency added. Tenants per shard: ${perShard.join(" / ")}.`,
      "",
      "| step | result |",
      "|---|---|",
      `| every shard's first \`up\`, at once | ${seconds(wallMs)} s (shards ${upMs.map(seconds).join(" / ")} s); ${counted} requests counted, ${writes} writes, **${refused} 429s**, ${failed5xx} 5xx |`,
      `| paced floor (${counted} requests at ${limitRequests}/${limitSeconds} s) | ${seconds(pacedMs)} s: wall / floor = **${(wallMs / pacedMs).toFixed(2)}** |`,
      `| each shard's no-op \`preview\` | ${previews.map((p) => `${seconds(p.ms)} s`).join(" / ")} |`,
      `| ${victim}'s \`up\` killed (SIGKILL to its process group) | ${outcome} with ${atKill} of ${victimTenants} uploads done (${settled} once its provider stopped) |`,
      `| recovery: \`cancel\`, \`refresh --clear-pending-creates\`, \`up\` | ${seconds(recoveryMs)} s, ${recoveryRequests} requests, ${recoveryUploads} uploads |`,
      `| namespace vs the shards' state | ${inNamespace.length} scripts; ${problems.length === 0 ? "**exactly the declared tenants, each in its shard's state; no-op previews clean**" : problems.join("; ")} |`,
    ];
    console.log(`\n${lines.join("\n")}\n`);
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await store.close();
    await emu.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
