/**
 * The main job: deploy examples/multi-tenant (Pulumi.yaml at the repository root) with the real
 * Pulumi engine against the embedded Cloudflare emulator, then send requests through the emulator's
 * edge, which runs the deployed Workers in workerd: the router dispatches to each tenant. Then
 * examples/platform goes up as a second stack on the same emulator, and its custom domain answers
 * with a static page, the static site's API route and a Durable Object counter. examples/saas-domains
 * goes up as a third, on a zone of its own: its customers' domains (custom hostnames) are verified
 * through the emulator's control endpoint, then each answers with the tenant its metadata names.
 *
 *   npm run demo                 deploy, exercise, keep the stacks (state in .demo/)
 *   npm run demo -- --serve      ... and keep the API and the edge serving until Ctrl-C
 *   npm run demo -- --destroy    tear the three stacks down
 */
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import Cloudflare from "cloudflare";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, edgeRequest, startEmulator } from "../emulator";
import { engineEnv, engineRoot, repoRoot } from "../toolchain/engine-env";

/** Where the demo keeps its emulator data and stack state (DEMO_DIR; default .demo in the repository). */
const demoDir = process.env.DEMO_DIR ? path.resolve(process.env.DEMO_DIR) : path.join(repoRoot, ".demo");
const args = new Set(process.argv.slice(2));
const port = Number(process.env.DEMO_PORT ?? 8787);
const edgePort = Number(process.env.DEMO_EDGE_PORT ?? 8788);
const started = Date.now();

function step(message: string): void {
  console.log(`\n▶ ${message}  [${((Date.now() - started) / 1000).toFixed(1)}s]`);
}

/**
 * An example as a standalone project in .demo/<example> (its own Pulumi.yaml, so a stack of its own),
 * refreshed from the example on every run; its node_modules is the repository's (tsx, @pulumi/pulumi).
 * The stack's settings file (Pulumi.demo.yaml) stays between runs.
 */
function exampleProject(example: string): string {
  const source = path.join(repoRoot, "examples", example);
  const dir = path.join(demoDir, example);
  fs.cpSync(source, dir, { recursive: true, force: true, filter: (src) => !/^(node_modules|Pulumi\..+\.yaml)$/.test(path.basename(src)) });
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(repoRoot, "node_modules"), modules, "dir");
  return dir;
}

/**
 * The zone of examples/saas-domains: a zone of its own, since its dispatcher takes every request entering
 * its zone (the route `*` + `/*`), which on example.com would take the other examples' hostnames too.
 */
const SAAS_ZONE = "example.net";

/**
 * What Cloudflare does once it finds a customer's records, asked of the emulator's control endpoint
 * (emulator/control.ts): every verification step of a custom hostname, until it is active.
 */
async function verifyCustomHostname(emu: Emulator, hostname: string): Promise<{ status: string; ssl: { status: string } }> {
  const res = await fetch(`${emu.origin}/__emulator/custom-hostnames/advance`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.controlToken}`, "content-type": "application/json" },
    body: JSON.stringify({ hostname, untilActive: true }),
  });
  const envelope = (await res.json()) as { success: boolean; result: { status: string; ssl: { status: string } }; errors: unknown[] };
  if (!envelope.success) throw new Error(`verifying ${hostname}: ${res.status} ${JSON.stringify(envelope.errors)}`);
  return envelope.result;
}

/** The first `<h1>` of a page, or its first line. */
const headline = (html: string) => /<h1>.*?<\/h1>/.exec(html)?.[0] ?? html.trim().split("\n")[0];

async function main(): Promise<void> {
  step(`starting the Cloudflare API emulator on 127.0.0.1:${port} and its edge on 127.0.0.1:${edgePort} (data in .demo/emulator)`);
  const emu = await startEmulator({
    port,
    dataDir: path.join(demoDir, "emulator"),
    zones: [{ name: "example.com" }, { name: SAAS_ZONE }],
    edge: { port: edgePort },
  });
  try {
    fs.mkdirSync(path.join(demoDir, "state"), { recursive: true });
    // The example is a standalone project whose package.json names this package as a dependency; here
    // the package is this repository itself, found by Node through NODE_PATH (.demo/node_modules).
    const modules = path.join(demoDir, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    if (!fs.existsSync(path.join(modules, "pulumi-cloudflare-wfp")))
      fs.symlinkSync(repoRoot, path.join(modules, "pulumi-cloudflare-wfp"), "dir");
    const envVars = {
      ...engineEnv({
        backendDir: path.join(demoDir, "state"),
        pulumiHome: path.join(demoDir, "pulumi-home"),
        passphrase: "demo",
        // Type-checking the example against this package's sources needs a build layout ts-node does
        // not know (npm run typecheck:examples checks it instead); Node runs the built package fine.
        checkProgramTypes: false,
      }),
      ...emu.env,
      NODE_PATH: modules,
    };
    const pulumiCommand = await PulumiCommand.get({ root: engineRoot, skipVersionCheck: true });
    const [stack, platform, saas] = await Promise.all(
      [repoRoot, exampleProject("platform"), exampleProject("saas-domains")].map((workDir) =>
        LocalWorkspace.createOrSelectStack({ stackName: "demo", workDir }, { pulumiCommand, envVars }),
      ),
    );
    const print = (text: string) => process.stdout.write(text);
    const cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url });
    // examples/saas-domains needs its zone's id, as its README says (pulumi config set zoneId <id>).
    const saasZone = emu.state.zones().find((zone) => zone.name === SAAS_ZONE)!;
    await saas.setAllConfig({ zoneId: { value: saasZone.id }, zoneName: { value: SAAS_ZONE } });

    if (args.has("--destroy")) {
      step("pulumi destroy: examples/multi-tenant, and examples/platform and examples/saas-domains beside it");
      let platformOutput = "";
      let saasOutput = "";
      await Promise.all([
        stack.destroy({ onOutput: print, color: "always" }),
        platform.destroy({ onOutput: (text) => (platformOutput += text), color: "always" }),
        saas.destroy({ onOutput: (text) => (saasOutput += text), color: "always" }),
      ]);
      step("...and examples/platform's destroy");
      print(platformOutput);
      step("...and examples/saas-domains' destroy");
      print(saasOutput);
      console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s: the three stacks are empty.`);
      return;
    }

    // The stacks share nothing but the emulator, so all go up at once; the output of the other two,
    // collected meanwhile, is printed after the multi-tenant's.
    step(
      "pulumi up: examples/multi-tenant, and examples/platform and examples/saas-domains beside it (the real engine, a local file backend, the emulator as Cloudflare)",
    );
    let platformOutput = "";
    let saasOutput = "";
    const [up, , saasUp] = await Promise.all([
      stack.up({ onOutput: print, color: "always" }),
      platform.up({ onOutput: (text) => (platformOutput += text), color: "always" }),
      saas.up({ onOutput: (text) => (saasOutput += text), color: "always" }),
    ]);
    step("...and examples/platform's up, a second stack: a dispatcher on its custom domain, a static site, a Durable Object counter");
    print(platformOutput);
    step(`...and examples/saas-domains' up, a third stack on zone ${SAAS_ZONE}: customers' own domains in front of their tenants`);
    print(saasOutput);
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));

    step("what Cloudflare now holds (asked through the official cloudflare SDK)");
    for await (const ns of cf.workersForPlatforms.dispatch.namespaces.list({ account_id: emu.accountId })) {
      console.log(`  dispatch namespace ${ns.namespace_name}: ${ns.script_count} tenant scripts`);
    }
    for (const script of emu.state.accountScripts()) console.log(`  account script ${script.name}`);
    for (const route of emu.state.routes()) console.log(`  route ${route.pattern} of ${route.zone_name} → ${route.script}`);
    for await (const h of cf.customHostnames.list({ zone_id: saasZone.id })) {
      console.log(`  custom hostname ${h.hostname} of ${SAAS_ZONE}: ${h.status}, metadata ${JSON.stringify(h.custom_metadata ?? {})}`);
    }

    // The platform keeps tenant metadata in KV; the router reads it (here: customer-a's plan).
    await cf.kv.namespaces.values.update("tenant:customer-a", {
      account_id: emu.accountId,
      namespace_id: outputs.tenantDataId as string,
      value: JSON.stringify({ plan: "pro" }),
    });

    step("requests through the edge: route *.platform.example.com/* → platform-router → env.TENANT_NAMESPACE.get(...)");
    for (const host of ["customer-a.platform.example.com", "customer-b.platform.example.com", "customer-z.platform.example.com"]) {
      const t0 = Date.now();
      const res = await edgeRequest({ port: emu.edge!.port }, host, "/hello");
      const tenant = res.headers["x-tenant-plan"] ? ` (plan ${res.headers["x-tenant-plan"]})` : "";
      console.log(`  GET http://${host}/hello → ${res.status}${tenant} in ${Date.now() - t0} ms\n    ${res.text.trim()}`);
    }

    step("requests through the edge: custom domain platform.example.com → platform-dispatcher → /<tenant>/... → env.TENANTS.get(<tenant>)");
    for (const urlPath of ["/site/about", "/site/api/status", "/counter/visits", "/counter/visits"]) {
      const t0 = Date.now();
      const res = await edgeRequest({ port: emu.edge!.port }, "platform.example.com", urlPath);
      const type = String(res.headers["content-type"] ?? "").split(";")[0];
      const body = type === "text/html" ? headline(res.text) : res.text.trim();
      console.log(`  GET http://platform.example.com${urlPath} → ${res.status} ${type} in ${Date.now() - t0} ms\n    ${body}`);
    }

    // Custom hostnames are created pending: Cloudflare routes them once it has verified the customer's records.
    const domains = Object.keys(saasUp.outputs.customerDomains.value as Record<string, unknown>);
    step(
      `customers' domains of zone ${SAAS_ZONE}: verified through the emulator's control endpoint (what Cloudflare does once it finds their records)`,
    );
    for (const hostname of domains) {
      const before = await edgeRequest({ port: emu.edge!.port }, hostname, "/");
      const verified = await verifyCustomHostname(emu, hostname);
      console.log(`  ${hostname}: the edge answered ${before.status} → now ${verified.status} (certificate ${verified.ssl.status})`);
    }

    step(
      `requests through the edge: a customer's domain → route */* of ${SAAS_ZONE} → saas-dispatcher → env.CUSTOMERS.get(request.cf.hostMetadata.tenant)`,
    );
    for (const hostname of domains) {
      const t0 = Date.now();
      const res = await edgeRequest({ port: emu.edge!.port }, hostname, "/");
      console.log(`  GET http://${hostname}/ → ${res.status} in ${Date.now() - t0} ms\n    ${res.text.trim()}`);
    }

    step("a second preview of the three stacks: nothing to change");
    const previews = await Promise.all([
      stack.preview({ color: "never" }),
      platform.preview({ color: "never" }),
      saas.preview({ color: "never" }),
    ]);
    for (const preview of previews) console.log(`  ${JSON.stringify(preview.changeSummary)}`);

    console.log(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)}s. The stacks stay up; their Cloudflare state is in .demo/emulator.`,
    );
    console.log(
      `  Serve it again:  npm run emulator -- --data .demo/emulator --port ${new URL(emu.url).port} --edge-port ${emu.edge!.port}   (or: npm run demo -- --serve)`,
    );
    console.log(`  Then ask it:     curl -H 'Host: customer-a.platform.example.com' http://127.0.0.1:${emu.edge!.port}/`);
    console.log(`                   curl -H 'Host: platform.example.com' http://127.0.0.1:${emu.edge!.port}/site/`);
    console.log(`                   curl -H 'Host: shop.acme-store.com' http://127.0.0.1:${emu.edge!.port}/`);
    console.log(
      `                   curl -H 'Authorization: Bearer ${emu.apiToken}' ${emu.url}/accounts/${emu.accountId}/workers/dispatch/namespaces`,
    );
    console.log("  Tear it down:    npm run demo -- --destroy");
    if (args.has("--serve")) {
      console.log(`\nServing ${emu.url} and the edge on 127.0.0.1:${emu.edge!.port} until Ctrl-C...`);
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
