/**
 * A tenant serving a static site, run by a user through the `pulumi` CLI: the usual journey (fresh
 * preview, up, a preview with nothing to do, destroy), and between them one page edited, which
 * the preview names ("1 of 3 files changed") and the next `up` uploads alone.
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

let emu: EmulatorProcess;
let project: UserProject;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(programsDir, "static-site"), env: emu.env });
});
tearDownAfterAll(() => ({ emu, project }));

const bucketUploads = async () => (await emu.requests()).filter((r) => r.method === "POST" && r.path.endsWith("/workers/assets/upload"));
const sessions = async () => (await emu.requests()).filter((r) => r.path.endsWith("/assets-upload-session"));
const site = async () => (await emu.account()).dispatchNamespaces[0].scripts["customer-site"];

describe("a tenant serving a static site", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      const tenant = await site();
      expect(Object.keys(tenant.assets!.manifest).sort()).toEqual(["/404.html", "/about.html", "/index.html"]);
      expect(tenant.assets!.config).toEqual({
        html_handling: "auto-trailing-slash",
        not_found_handling: "404-page",
        run_worker_first: ["/api/*"],
      });
      expect(JSON.stringify(await project.deployment())).not.toContain("<h1>");

      // One page edited: the preview shows the update, and the up uploads that file alone.
      await emu.clearRequests();
      fs.writeFileSync(path.join(project.dir, "public", "about.html"), "<h1>About us</h1>\n");
      const preview = await project.pulumi("preview", "--diff");
      expectSuccess(preview);
      expect(resourceSummary(preview.output)).toMatchObject({ update: 1 });
      expect(preview.output).toContain("assetsHash");
      expect(preview.output).toContain("1 of 3 files changed: /about.html");
      expect(await emu.writes()).toEqual([]);
      const up = await project.pulumi("up", "--yes", "--skip-preview"); // its preview is the one just checked
      expectSuccess(up);
      expect(await sessions()).toHaveLength(1);
      expect(await bucketUploads()).toHaveLength(1);
      const account = await emu.account();
      const aboutHash = (await site()).assets!.manifest["/about.html"].hash;
      expect(account.assets.blobs[aboutHash].content_base64).toBe(Buffer.from("<h1>About us</h1>\n").toString("base64"));
    },
  );
});
