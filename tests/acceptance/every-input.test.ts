/**
 * A program that sets every input of every resource kind, run by a user: a fresh preview, an up,
 * then every setting changed outside Pulumi through Cloudflare's API; `pulumi refresh` must show
 * the drift and succeed, and the next `pulumi up` must put Cloudflare back as the program says.
 */
import * as path from "node:path";
import { configuration } from "./harness/configuration";
import { EmulatorProcess } from "./harness/emulator-process";
import { expectSuccess, resourceSummary } from "./harness/expect-cli";
import { expectNoChanges } from "./harness/expect-no-changes";
import { cloudflareObjects, stateObjects } from "./harness/objects";
import { accountScriptPath, deleteRoutes, editBindings, namespacedScriptPath, patchSettings } from "./harness/out-of-band";
import { programsDir } from "./harness/paths";
import { tearDownAfterAll } from "./harness/teardown";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

let emu: EmulatorProcess;
let project: UserProject;
let deployed: ReturnType<typeof configuration>;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await UserProject.create({ source: path.join(programsDir, "every-input"), env: emu.env });
  await project.setConfig("apiKey", "api-key-value", { secret: true });
  await project.setConfig("signingKey", "signing-key-value", { secret: true });
});
tearDownAfterAll(() => ({ emu, project }));

describe("a program that sets every input of every kind", () => {
  it("previews on a fresh stack, with every output still unknown, without writing", async () => {
    const preview = await project.pulumi("preview");
    expectSuccess(preview);
    expect(resourceSummary(preview.output)).toEqual({ create: 6 }); // the stack and five resources
    expect(await emu.writes()).toEqual([]);
  });

  it("goes up, and Cloudflare holds every setting", async () => {
    const up = await project.pulumi("up", "--yes", "--skip-preview"); // its preview is the one checked above
    expectSuccess(up);
    expect(resourceSummary(up.output)).toEqual({ created: 6 });
    const account = await emu.account();
    expect(cloudflareObjects(account)).toEqual(stateObjects(await project.deployment()));
    deployed = configuration(account);
    const tenant = deployed.namespaces[0].scripts["every-input-tenant"];
    expect(tenant.bindings.map((b) => b.type).sort()).toEqual(
      [
        "ai",
        "analytics_engine",
        "browser",
        "d1",
        "dispatch_namespace",
        "durable_object_namespace",
        "hyperdrive",
        "json",
        "kv_namespace",
        "kv_namespace",
        "mtls_certificate",
        "plain_text",
        "plain_text",
        "queue",
        "r2_bucket",
        "ratelimit",
        "secret_text",
        "secret_text",
        "secrets_store_secret",
        "service",
        "service",
        "vectorize",
        "version_metadata",
        "workflow",
      ].sort(),
    );
    expect(tenant).toMatchObject({
      tags: ["tenant", "plan-pro"],
      limits: { cpu_ms: 50, subrequests: 20 },
      placement: { mode: "smart" },
      logpush: true,
    });
    expect(deployed.routes).toEqual([{ zone: "example.com", pattern: "*.every-input.example.com/*", script: "every-input-router" }]);
    expect(deployed.workersDev["every-input-router"]).toMatchObject({ enabled: true });
    expect(deployed.customDomains).toEqual([{ hostname: "every-input.example.com", zone: "example.com", service: "every-input-router" }]);
    expect(tenant).toMatchObject({ migration_tag: "v1", durable_object_classes: ["Room", "Lobby"] });
  });

  it("shows every change made outside Pulumi on refresh, and succeeds", async () => {
    const tenant = namespacedScriptPath(emu, "every-input-tenants", "every-input-tenant");
    const router = accountScriptPath(emu, "every-input-router");
    await patchSettings(emu, tenant, {
      tags: ["changed-outside"],
      limits: { cpu_ms: 10 },
      usage_model: "bundled",
      placement: {},
      observability: { enabled: false },
      logpush: false,
    });
    await editBindings(emu, tenant, (bindings) =>
      bindings.filter((b) => b.name !== "CONFIG").map((b) => (b.name === "GREETING" ? { ...b, text: "changed outside" } : b)),
    );
    await patchSettings(emu, router, { tags: [], limits: { cpu_ms: 300 }, observability: { enabled: false } });
    await emu.api("POST", `${router}/subdomain`, { enabled: false });
    expect(await deleteRoutes(emu)).toBe(1);
    for (const domain of (await emu.account()).workerDomains)
      await emu.api("DELETE", `/accounts/${emu.accountId}/workers/domains/${domain.id}`);
    await emu.api("PATCH", `/accounts/${emu.accountId}/workers/dispatch/namespaces/every-input-tenants`, { trusted_workers: false });
    const kvId = deployed.kv[0].id;
    await emu.api("PUT", `/accounts/${emu.accountId}/storage/kv/namespaces/${kvId}`, { title: "renamed-outside" });
    const drifted = configuration(await emu.account());
    expect(drifted).not.toEqual(deployed);

    const refresh = await project.pulumi("refresh", "--yes", "--diff");
    expectSuccess(refresh);
    // The namespace, the KV namespace, the tenant and the router changed; the outbound Worker did not.
    expect(resourceSummary(refresh.output)).toMatchObject({ updated: 4 });
    for (const seen of ["changed-outside", "renamed-outside", "changed outside", "cpuMs"]) expect(refresh.output).toContain(seen);
  });

  it("restores everything on the next up, as the program declares it", async () => {
    const up = await project.pulumi("up", "--yes");
    expectSuccess(up);
    expect(resourceSummary(up.output)).toMatchObject({ updated: 4 });
    // The same code uploads to the same etag, so the whole configuration compares equal.
    expect(configuration(await emu.account())).toEqual(deployed);
  });

  it("then previews no change", async () => {
    await expectNoChanges(emu, project, 6);
  });
});
