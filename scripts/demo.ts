/**
 * The main job: deploy the example stack (Pulumi.yaml at the repository root) with the real Pulumi
 * engine against the embedded Cloudflare emulator, then exercise what it made.
 *
 *   npm run demo                 deploy, show what Cloudflare (the emulator) now holds, keep it
 *   npm run demo -- --serve      ... and keep the emulator serving until Ctrl-C
 *   npm run demo -- --destroy    tear the stack down
 *
 * State lives in .demo/ (the emulator's data and the stack's file backend), so runs build on each other.
 */
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import Cloudflare from "cloudflare";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { engineEnv, engineRoot, repoRoot } from "./lib/engine-env";

const demoDir = path.join(repoRoot, ".demo");
const args = new Set(process.argv.slice(2));
const port = Number(process.env.DEMO_PORT ?? 8787);

function step(message: string): void {
  console.log(`\n▶ ${message}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  step(`starting the Cloudflare API emulator on 127.0.0.1:${port} (data in .demo/emulator)`);
  const emu = await startEmulator({ port, dataDir: path.join(demoDir, "emulator") });
  try {
    fs.mkdirSync(path.join(demoDir, "state"), { recursive: true });
    const envVars = {
      ...engineEnv({
        backendDir: path.join(demoDir, "state"),
        pulumiHome: path.join(demoDir, "pulumi-home"),
        nodeModules: path.join(repoRoot, "node_modules"),
        passphrase: "demo",
      }),
      ...emu.env,
      // The example imports this package by its own name from inside its repository; type-checking
      // that self-reference needs a build layout ts-node does not know, and Node resolves it fine.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
    const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: "demo", workDir: repoRoot }, { pulumiCommand, envVars });
    const print = (text: string) => process.stdout.write(text);

    if (args.has("--destroy")) {
      step("pulumi destroy");
      await stack.destroy({ onOutput: print, color: "always" });
      console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s: the stack is empty.`);
      return;
    }

    step("pulumi up (the real engine, a local file backend, the emulator as Cloudflare)");
    const up = await stack.up({ onOutput: print, color: "always" });

    step("what Cloudflare now holds (asked through the official cloudflare SDK)");
    const cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url });
    for await (const ns of cf.workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId })) {
      console.log(`  dispatch namespace ${ns.namespace_name}  id=${ns.namespace_id}  scripts=${ns.script_count}`);
    }
    console.log(`  stack outputs: ${JSON.stringify(Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])))}`);

    step("a second preview: nothing to change");
    const preview = await stack.preview({ color: "never" });
    console.log(`  ${JSON.stringify(preview.changeSummary)}`);

    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s. The stack stays up; its Cloudflare state is in .demo/emulator.`);
    console.log(`  Serve it again:  npm run emulator -- --data .demo/emulator --port ${port}`);
    console.log(`  Then ask it:     curl -H 'Authorization: Bearer ${emu.apiToken}' ${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces`);
    console.log("  Tear it down:    npm run demo -- --destroy");
    if (args.has("--serve")) {
      console.log(`\nServing ${emu.url} until Ctrl-C...`);
      await new Promise<void>((resolve) => process.once("SIGINT", resolve));
    }
  } finally {
    await emu.close();
  }
}

main().catch((error) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
