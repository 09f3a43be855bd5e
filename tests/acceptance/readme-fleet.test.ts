/**
 * The TenantFleet program of docs/using/fleet.md, exactly as that page shows it (its ```ts block is
 * read at test time), run by a user through the CLI: the usual journey, and between the first up and the no-op
 * preview one tenant's inline code edited, which preview names (the tenant and the property, not its
 * code) and the next up uploads alone.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { examplesDir, programsDir } from "./harness/paths";
import { docTsBlock } from "./harness/readme";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const program = docTsBlock("docs/using/fleet.md", "# Many tenants as one resource: `TenantFleet`");
const customerAKey = "fleet-key-of-customer-a";
let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  const tenantWorker = fs.readFileSync(path.join(examplesDir, "multi-tenant", "src", "tenant-worker.ts"), "utf8");
  project = await UserProject.create({
    source: path.join(programsDir, "readme-fleet"),
    files: { "index.ts": program, "src/tenant-worker.ts": tenantWorker },
    env: emu.env,
    // The docs' text is a program only here: pulumi's own type-check is the only one it gets.
    typeCheck: true,
  });
  await project.setConfig("customerAKey", customerAKey, { secret: true });
});
tearDownAfterAll(() => ({ emu, project }));

const tenantScripts = async () => (await emu.account()).dispatchNamespaces.find((ns) => ns.namespace_name === "customer-workers")!.scripts;

describe("the fleet page's TenantFleet program", () => {
  it("bundles the entrypoint the test provides and declares three tenants", () => {
    expect(program).toContain('entrypoint: "src/tenant-worker.ts"');
    expect([...program.matchAll(/"(customer-[a-z])":/g)].map((m) => m[1])).toEqual(["customer-a", "customer-b", "customer-c"]);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      const scripts = await tenantScripts();
      expect(Object.keys(scripts).sort()).toEqual(["customer-a", "customer-b", "customer-c"]);
      expect(scripts["customer-a"].bindings).toEqual(
        expect.arrayContaining([
          { name: "PLAN", type: "plain_text", text: "pro" },
          { name: "API_KEY", type: "secret_text" },
        ]),
      );
      expect(await emu.secretMatches({ namespace: "customer-workers", script: "customer-a", name: "API_KEY" }, customerAKey)).toBe(true);
      expect(scripts["customer-b"].bindings).toEqual([{ name: "CONFIG", type: "json", json: { plan: "free" } }]);
      expect(scripts["customer-b"].limits).toEqual({ cpu_ms: 20 });
      // Its own tag first, then the fleet's: ownership and the fingerprint of the spec uploaded.
      expect(scripts["customer-c"].tags).toEqual(["fleet", "pulumi-tenant-fleet", expect.stringMatching(/^pulumi-spec-[0-9a-f]{16}$/)]);
      // The secret binding's value is nowhere in plain text in state.
      expect(JSON.stringify(await project.deployment())).not.toContain(customerAKey);

      // One tenant's code edited: preview names it and its property, counts the others, and writes nothing; up uploads it alone.
      const index = path.join(project.dir, "index.ts");
      fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace('new Response("custom")', 'new Response("custom, edited")'));
      await emu.clearRequests();
      const preview = await project.pulumi("preview", "--diff");
      expectSuccess(preview);
      expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
      expect(preview.output).toMatch(/~ changes\s*: "[^"]*" => "1 to update, 2 unchanged: update customer-c \(content\)"/);
      // The tenants' specs are not printed: not the edited code, not the other tenants, not a secret.
      expect(preview.output).not.toContain("custom, edited");
      expect(preview.output).not.toMatch(/customer-[abc]: /);
      expect(preview.output).not.toContain(customerAKey);
      expect(await emu.writes()).toEqual([]);
      const up = await project.pulumi("up", "--yes");
      expectSuccess(up);
      expect((await emu.writes()).map((w) => w.replace(/^.*\/scripts\//, ""))).toEqual(["customer-c"]);
    },
  );
});
