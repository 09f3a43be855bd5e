/**
 * A site builder's platform as one TenantFleet, run by a user through the `pulumi` CLI: 200 static
 * sites (each with its own pages, _headers and _redirects) and a tenant counting in a Durable
 * Object, behind one dispatcher. The usual journey (fresh preview, up, a preview with nothing to
 * do, destroy), and between them: one page edited in one site, which the preview names and the up
 * sends in 3 requests (the upload session, one bucket, the script); then the counter's class
 * renamed by its next migration, sent once, the count going on through the edge.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const SITES = 200;
const siteName = (i: number) => `site-${String(i).padStart(3, "0")}`;
let emu: EmulatorProcess;
let project: UserProject;

/** A customer's site: two pages naming it, a header rule and a redirect of its own. */
function siteFiles(site: string): Record<string, string> {
  return {
    [`sites/${site}/index.html`]: `<h1>${site}</h1>\n`,
    [`sites/${site}/about.html`]: `<p>about ${site}</p>\n`,
    [`sites/${site}/_headers`]: `/*\n  X-Site: ${site}\n`,
    [`sites/${site}/_redirects`]: `/old-about /about 301\n`,
  };
}

beforeAll(async () => {
  emu = await EmulatorProcess.startWithEdge();
  const files = Object.assign({}, ...Array.from({ length: SITES }, (_, i) => siteFiles(siteName(i))));
  project = await UserProject.create({ source: path.join(programsDir, "fleet-sites"), files, env: emu.env });
});
tearDownAfterAll(() => ({ emu, project }));

const NS_PATH = () => `/accounts/${emu.accountId}/workers/dispatch/namespaces/site-fleet/scripts`;
const through = (urlPath: string) => emu.edge("sites.example.com", urlPath);
const count = async () => JSON.parse((await through("/counter/")).text) as unknown;

describe("a TenantFleet of 200 static sites and a Durable Object tenant", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      const scripts = (await emu.account()).dispatchNamespaces.find((ns) => ns.namespace_name === "site-fleet")!.scripts;
      expect(Object.keys(scripts)).toHaveLength(SITES + 1);
      expect(await project.outputs()).toMatchObject({ tenantCount: SITES + 1 });

      // Each site is served with its own rules: its page, its header, its redirect; the Worker answers the rest.
      const about = await through("/site-007/about");
      expect(about).toMatchObject({ status: 200, text: "<p>about site-007</p>\n" });
      expect(about.headers["x-site"]).toBe("site-007");
      const moved = await through("/site-007/old-about");
      expect(moved.status).toBe(301);
      expect(moved.headers.location).toBe("/about");
      expect(JSON.parse((await through("/site-007/api/status")).text)).toEqual({ worker: "/api/status" });
      expect([await count(), await count()]).toEqual([
        { class: "Counter", count: 1 },
        { class: "Counter", count: 2 },
      ]);

      // One page of one site edited: the preview names that file, and the up sends it in 3 requests.
      fs.writeFileSync(path.join(project.dir, "sites", "site-042", "about.html"), "<p>about site-042, edited</p>\n");
      await emu.clearRequests();
      const preview = await project.pulumi("preview", "--diff");
      expectSuccess(preview);
      expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
      expect(preview.output).toContain("update site-042 (assets: 1 of 2 files changed: /about.html)");
      expect(await emu.writes()).toEqual([]);
      await emu.clearRequests();
      expectSuccess(await project.pulumi("up", "--yes", "--skip-preview"));
      expect(await emu.writes()).toEqual([
        `POST ${NS_PATH()}/site-042/assets-upload-session`,
        `POST /accounts/${emu.accountId}/workers/assets/upload`,
        `PUT ${NS_PATH()}/site-042`,
      ]);
      expect(await through("/site-042/about")).toMatchObject({ status: 200, text: "<p>about site-042, edited</p>\n" });

      // The counter's next migration renames its class: one upload, and its objects go on counting.
      await project.setConfig("step", "v2");
      const renaming = await project.pulumi("preview", "--diff");
      expectSuccess(renaming);
      expect(renaming.output).toMatch(/1 to update\b.*: update counter \([^)]*migrations[^)]*\)/);
      await emu.clearRequests();
      expectSuccess(await project.pulumi("up", "--yes", "--skip-preview"));
      expect(await emu.writes()).toEqual([`PUT ${NS_PATH()}/counter`]);
      expect(await count()).toEqual({ class: "Tally", count: 3 });
    },
  );
});
