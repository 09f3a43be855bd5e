/**
 * Every shipped example, run as examples/README.md tells a user to: its own project with the packed
 * package installed, the emulator from the package's bin, a fresh stack, and the `pulumi` CLI.
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import * as semver from "semver";
import { EmulatorProcess } from "./harness/emulator-process";
import { exampleNames, examplePackage } from "./harness/examples";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { examplesDir, installedModules, repoRoot } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

/** What examples/README.md has the user do first, for the examples that need more than the steps every one shares. */
interface ExampleSetup {
  /** Options of the package's emulator export, for what the bin's flags cannot express. */
  emulator?(): Record<string, unknown>;
  /** Run the emulator with its edge, to send requests to the deployed Workers. */
  edge?: boolean;
  /** Objects that must exist before the first `pulumi up`. */
  before?(emu: EmulatorProcess): Promise<void>;
  /** Stack config, and environment variables the project must not inherit. */
  config?(emu: EmulatorProcess): Record<string, { value: string; secret?: boolean }>;
  unset?: string[];
  /** What the example answers once it is up. */
  deployed?(emu: EmulatorProcess): Promise<void>;
}

const hex32 = () => randomBytes(16).toString("hex");
const twoAccounts = { staging: { id: hex32(), token: `staging-${hex32()}` }, production: { id: hex32(), token: `production-${hex32()}` } };

/** The emulator's example.com zone, read by the saas-domains setup before its config is written. */
let exampleZoneId = "";

const setups: Record<string, ExampleSetup> = {
  // The example takes over namespaces that exist already: one adopted, one imported.
  "adopt-existing": {
    before: async (emu) => {
      for (const name of ["my-existing-namespace", "my-imported-namespace"]) {
        await emu.api("POST", `/accounts/${emu.accountId}/workers/dispatch/namespaces`, { name });
      }
    },
  },
  // Two accounts, each reached with its own token only: no default credentials in the environment.
  "two-accounts": {
    emulator: () => ({
      accounts: Object.values(twoAccounts).map((a) => ({ id: a.id })),
      tokens: Object.values(twoAccounts).map((a) => ({ token: a.token, accounts: [a.id] })),
    }),
    config: () => ({
      stagingAccountId: { value: twoAccounts.staging.id },
      productionAccountId: { value: twoAccounts.production.id },
      stagingToken: { value: twoAccounts.staging.token, secret: true },
      productionToken: { value: twoAccounts.production.token, secret: true },
    }),
    unset: ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"],
  },
  // Customers' domains on the platform's zone: the program needs the zone's id; a domain reaches its tenant once active.
  "saas-domains": {
    edge: true,
    config: () => ({ zoneId: { value: exampleZoneId } }),
    before: async (emu) => {
      exampleZoneId = (await emu.api<Array<{ id: string }>>("GET", "/zones?name=example.com"))[0].id;
    },
    deployed: async (emu) => {
      await emu.advanceCustomHostname("shop.acme-store.com", { untilActive: true });
      const shop = await emu.edge("shop.acme-store.com", "/");
      expect({ status: shop.status, json: JSON.parse(shop.text) }).toMatchObject({
        status: 200,
        json: { tenant: "acme", hostMetadata: { tenant: "acme" } },
      });
      expect((await emu.edge("www.globex-goods.com", "/")).status).toBe(530);
    },
  },
  // The dispatcher on its custom domain sends /<tenant>/... to the static site and to the counter.
  platform: {
    edge: true,
    deployed: async (emu) => {
      const platform = (urlPath: string) => emu.edge("platform.example.com", urlPath);
      const home = await platform("/site/");
      expect({ status: home.status, text: home.text }).toEqual({
        status: 200,
        text: expect.stringContaining("<h1>Welcome to the platform</h1>"),
      });
      const about = await platform("/site/about");
      expect({ status: about.status, type: about.headers["content-type"] }).toEqual({
        status: 200,
        type: expect.stringContaining("text/html"),
      });
      expect(about.text).toContain("<h1>About the platform</h1>");
      const canonical = await platform("/site/about.html");
      expect({ status: canonical.status, location: canonical.headers.location }).toEqual({ status: 307, location: "/site/about" });
      const missing = await platform("/site/no-such-page");
      expect({ status: missing.status, text: missing.text }).toEqual({
        status: 404,
        text: expect.stringContaining("<h1>No such page</h1>"),
      });
      const api = await platform("/site/api/status");
      expect({ status: api.status, json: JSON.parse(api.text) }).toEqual({ status: 200, json: { site: "up", served: "by the Worker" } });
      const counts = [await platform("/counter/visits"), await platform("/counter/visits")].map((r) => JSON.parse(r.text));
      expect(counts).toEqual([
        { counter: "visits", count: 1 },
        { counter: "visits", count: 2 },
      ]);
    },
  },
};

const devDependencies = (require(path.join(repoRoot, "package.json")) as { devDependencies: Record<string, string> }).devDependencies;
const installedVersion = (name: string) => (require(path.join(installedModules, name, "package.json")) as { version: string }).version;

describe.each(exampleNames())("examples/%s", (example) => {
  let emu: EmulatorProcess;
  let project: UserProject;

  beforeAll(async () => {
    const setup = setups[example] ?? {};
    emu = setup.edge ? await EmulatorProcess.startWithEdge() : await EmulatorProcess.start(setup.emulator?.());
    await setup.before?.(emu);
    const env = Object.fromEntries(Object.entries(emu.env).filter(([key]) => !setup.unset?.includes(key)));
    project = await UserProject.create({ source: path.join(examplesDir, example), env });
    for (const [key, { value, secret }] of Object.entries(setup.config?.(emu) ?? {})) await project.setConfig(key, value, { secret });
  });
  tearDownAfterAll(() => ({ emu, project }));

  it("is a standalone project whose package.json the installed packages satisfy", () => {
    const pkg = examplePackage(example);
    expect(pkg.private).toBe(true);
    const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.keys(wanted)).toEqual(expect.arrayContaining(["pulumi-cloudflare-wfp", "@pulumi/pulumi"]));
    for (const [name, range] of Object.entries(wanted)) {
      expect({ name, satisfied: semver.satisfies(installedVersion(name), range) }).toEqual({ name, satisfied: true });
    }
  });

  it("runs on Node 24, the primary runtime, with the newest @pulumi/pulumi (the repository's own)", () => {
    expect(project.nodeVersion()).toMatch(/^v24\./);
    expect(installedVersion("@pulumi/pulumi")).toBe(devDependencies["@pulumi/pulumi"]);
  });

  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    setups[example]?.deployed && (() => setups[example].deployed!(emu)),
  );
});
