/**
 * The README's "Use" program, exactly as the README shows it (its ```ts block is read at test time),
 * run by a user: the worker sources it names come from the multi-tenant example, which has the
 * same router and tenant.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { examplesDir, programsDir } from "./harness/paths";
import { readmeTsBlock } from "./harness/readme";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

/** Every src/*.ts file the program names as an entrypoint, taken from the example that has them. */
function workerSources(program: string): Record<string, string> {
  const names = [...program.matchAll(/entrypoint: "(src\/[\w-]+\.ts)"/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(examplesDir, "multi-tenant", name), "utf8")]));
}

const program = readmeTsBlock("## Use");
const apiKey = "readme-api-key-value";
let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({
    source: path.join(programsDir, "readme-use"),
    files: { "index.ts": program, ...workerSources(program) },
    env: emu.env,
    // The README's text is a program only here: pulumi's own type-check is the only one it gets.
    typeCheck: true,
  });
  await project.setConfig("apiKey", apiKey, { secret: true });
});
tearDownAfterAll(() => ({ emu, project }));

describe("the README's Use program", () => {
  it("names worker sources the test can provide", () => {
    expect(Object.keys(workerSources(program)).sort()).toEqual(["src/main-router.ts", "src/tenant-worker.ts"]);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      const account = await emu.account();
      const tenant = account.dispatchNamespaces.find((ns) => ns.namespace_name === "customer-workers")!.scripts["customer-a-worker"];
      const kvId = account.kvNamespaces[0].id;
      expect(tenant.bindings).toEqual(
        expect.arrayContaining([
          { name: "GREETING", type: "plain_text", text: "hello" },
          { name: "API_KEY", type: "secret_text" },
          { name: "DATA", type: "kv_namespace", namespace_id: kvId },
        ]),
      );
      // Its value is never shown (neither does Cloudflare show it): the emulator confirms it.
      expect(await emu.secretMatches({ namespace: "customer-workers", script: "customer-a-worker", name: "API_KEY" }, apiKey)).toBe(true);
      expect(tenant.tags).toEqual(["customer-a", "plan-pro"]);
      expect(tenant.limits).toEqual({ cpu_ms: 50 });
      expect(account.zones.flatMap((z) => z.routes.map((r) => [r.pattern, r.script]))).toEqual([
        ["*.platform.example.com/*", "platform-router"],
      ]);
    },
  );
});
