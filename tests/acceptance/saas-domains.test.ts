/**
 * examples/saas-domains run by a user with the `pulumi` CLI: two tenants reached on their customers' own
 * domains. The domains are created pending; once the emulator has walked them through their verification,
 * a request through the edge by hostname reaches the tenant the hostname's metadata names, `pulumi refresh`
 * shows them active, giving a domain another tenant moves it in place, dropping one removes it, and
 * `destroy` leaves nothing behind.
 */
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { itGoesThroughTheLifecycle } from "./harness/lifecycle";
import { examplesDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

// One step runs the CLI five times (up, refresh, three more ups).
jest.setTimeout(600_000);

let emu: EmulatorProcess;
let project: UserProject;

const DOMAINS = { "shop.acme-store.com": "acme", "www.globex-goods.com": "globex" };

beforeAll(async () => {
  emu = await EmulatorProcess.startWithEdge();
  project = await UserProject.create({ source: path.join(examplesDir, "saas-domains"), env: emu.env });
  const [zone] = await emu.api<Array<{ id: string }>>("GET", "/zones?name=example.com");
  await project.setConfig("zoneId", zone.id);
});
tearDownAfterAll(() => ({ emu, project }));

/** The zone's custom hostnames by name (Pulumi creates them in parallel, so in any order). */
const hostnames = async () =>
  (await emu.account()).zones
    .flatMap((z) => (z.customHostnames ?? []).map((h) => ({ hostname: h.hostname, status: h.status, metadata: h.custom_metadata })))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
const answer = async (host: string) => {
  const res = await emu.edge(host, "/");
  return res.status === 200 ? { status: 200, json: JSON.parse(res.text) } : { status: res.status };
};
const upWith = async (domains: Record<string, string>) => {
  await project.setConfig("domains", JSON.stringify(domains));
  const up = await project.pulumi("up", "--yes");
  expectSuccess(up);
  return resourceSummary(up.output);
};

describe("customers' domains in front of their tenants", () => {
  itGoesThroughTheLifecycle(
    () => emu,
    () => project,
    async () => {
      expect(await hostnames()).toEqual([
        { hostname: "shop.acme-store.com", status: "pending", metadata: { tenant: "acme" } },
        { hostname: "www.globex-goods.com", status: "pending", metadata: { tenant: "globex" } },
      ]);
      const outputs = (await project.outputs()).customerDomains as Record<string, { status: string; publish?: { name: string } }>;
      expect(outputs["shop.acme-store.com"]).toMatchObject({
        status: "pending",
        publish: { name: "_cf-custom-hostname.shop.acme-store.com" },
      });
      expect(await answer("shop.acme-store.com")).toEqual({ status: 530 });

      for (const hostname of Object.keys(DOMAINS))
        expect(await emu.advanceCustomHostname(hostname, { untilActive: true })).toMatchObject({
          status: "active",
          ssl: { status: "active" },
        });
      expect(await answer("shop.acme-store.com")).toEqual({
        status: 200,
        json: { tenant: "acme", host: "shop.acme-store.com", hostMetadata: { tenant: "acme" } },
      });
      expect(await answer("www.globex-goods.com")).toMatchObject({
        status: 200,
        json: { tenant: "globex", hostMetadata: { tenant: "globex" } },
      });
      expect(await answer("www.example.com")).toEqual({ status: 404 });

      const refresh = await project.pulumi("refresh", "--yes");
      expectSuccess(refresh);
      const inState = (await project.deployment()).resources
        ?.filter((r) => r.type.endsWith(":CustomHostname"))
        .map((r) => [String(r.outputs?.hostname), r.outputs?.status, r.outputs?.sslStatus])
        .sort();
      expect(inState).toEqual([
        ["shop.acme-store.com", "active", "active"],
        ["www.globex-goods.com", "active", "active"],
      ]);

      // The acme customer's domain now belongs to globex: an edit of its metadata, not a new hostname.
      await emu.clearRequests();
      expect(await upWith({ ...DOMAINS, "shop.acme-store.com": "globex" })).toMatchObject({ updated: 1 });
      expect((await emu.writes()).filter((w) => w.startsWith("PATCH "))).toHaveLength(1);
      expect(await answer("shop.acme-store.com")).toMatchObject({
        status: 200,
        json: { tenant: "globex", hostMetadata: { tenant: "globex" } },
      });

      // Dropped from the program: the hostname is deleted and the edge no longer serves it.
      expect(await upWith({ "shop.acme-store.com": "globex" })).toMatchObject({ deleted: 1 });
      expect((await hostnames()).map((h) => h.hostname)).toEqual(["shop.acme-store.com"]);
      expect((await answer("www.globex-goods.com")).status).toBe(404);

      // Back to the program's first shape, so the rest of the journey compares like with like.
      expect(await upWith(DOMAINS)).toMatchObject({ created: 1, updated: 1 });
    },
  );
});
