/**
 * The Workers resource (`GET /accounts/:a/workers/workers/:worker`, SOURCES.md §5.9) through the official SDK's
 * `client.workers.beta.workers.get`: an account-level Worker by name or id, with its workers.dev settings and
 * what references it, as wrangler reads it before it sets the workers.dev toggle on deploy.
 */
import Cloudflare from "cloudflare";
import { defaultZoneId, type Emulator } from "../../emulator";
import { CF_TIMESTAMP, rejectionOf, useEmulator } from "./helpers";
import { uploadAccountScript, uploadModule, workerForm } from "./script-helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;

useEmulator((f) => ({ emu, cf, account_id } = f), { zones: [{ name: "example.com" }] });

const deploy = (name: string, metadata: Record<string, unknown> = {}) =>
  uploadAccountScript(cf, account_id, name, workerForm({ main_module: "index.js", compatibility_date: "2025-01-01", ...metadata }));
const worker = (idOrName: string) => cf.workers.beta.workers.get(idOrName, { account_id });

describe("GET /accounts/:a/workers/workers/:worker", () => {
  it("answers the Worker by name and by its id, the tag fixed at its creation", async () => {
    const uploaded = await deploy("api", {
      tags: ["team-a"],
      logpush: true,
      observability: { enabled: true },
      tail_consumers: [{ service: "tail" }],
    });
    const byName = await worker("api");
    expect(byName).toEqual({
      id: uploaded.tag,
      name: "api",
      created_on: uploaded.created_on,
      updated_on: uploaded.modified_on,
      deployed_on: expect.stringMatching(CF_TIMESTAMP),
      logpush: true,
      observability: { enabled: true },
      references: { dispatch_namespace_outbounds: [], domains: [], durable_objects: [], queues: [], workers: [] },
      subdomain: { enabled: false, previews_enabled: false },
      tags: ["team-a"],
      tail_consumers: [{ name: "tail" }],
    });
    expect(await worker(uploaded.tag)).toEqual(byName);
    expect(byName.deployed_on).toBe(emu.state.account(account_id)!.scriptHistory.api.deployments.at(-1)!.created_on);
  });

  it("shows the workers.dev toggle, with the URL and the preview URL suffix once the account has a subdomain", async () => {
    await deploy("api");
    await cf.workers.scripts.subdomain.create("api", { account_id, enabled: true, previews_enabled: false });
    expect((await worker("api")).subdomain).toEqual({ enabled: true, previews_enabled: false });
    await cf.workers.subdomains.update({ account_id, subdomain: "acme" });
    expect((await worker("api")).subdomain).toEqual({
      enabled: true,
      previews_enabled: false,
      url: "https://api.acme.workers.dev",
      preview_url_suffix: "-api.acme.workers.dev",
    });
  });

  it("lists the Workers binding it as a service, the namespaces using it as their outbound Worker and its custom domains", async () => {
    const ns = await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    const outbound = await deploy("outbound");
    const dispatcher = await deploy("dispatcher", {
      bindings: [
        { type: "dispatch_namespace", name: "TENANTS", namespace: "tenants", outbound: { worker: { service: "outbound" } } },
        { type: "service", name: "OUT", service: "outbound" },
      ],
    });
    const domain = await cf.workers.domains.update({
      account_id,
      hostname: "out.example.com",
      service: "outbound",
      zone_id: defaultZoneId(account_id, "example.com"),
    });
    expect((await worker("outbound")).references).toEqual({
      dispatch_namespace_outbounds: [
        { namespace_id: ns.namespace_id, namespace_name: "tenants", worker_id: dispatcher.tag, worker_name: "dispatcher" },
      ],
      domains: [
        { id: domain.id, certificate_id: domain.cert_id, hostname: "out.example.com", zone_id: domain.zone_id, zone_name: "example.com" },
      ],
      durable_objects: [],
      queues: [],
      workers: [{ id: dispatcher.tag, name: "dispatcher" }],
    });
    expect(outbound.tag).not.toBe(dispatcher.tag);
    expect((await worker("dispatcher")).references).toEqual({
      dispatch_namespace_outbounds: [],
      domains: [],
      durable_objects: [],
      queues: [],
      workers: [],
    });
  });

  it("answers 404 / 10007 for a Worker that does not exist, and does not look into dispatch namespaces", async () => {
    await cf.workersForPlatforms.dispatch.namespaces.create({ account_id, name: "tenants" });
    await uploadModule({ cf, account_id, namespace: "tenants" }, "tenant");
    for (const name of ["missing", "tenant", "constructor"]) {
      const error = await rejectionOf(() => worker(name));
      expect(error).toBeInstanceOf(Cloudflare.NotFoundError);
      expect(error.errors[0]).toEqual({ code: 10007, message: "This Worker does not exist on your account." });
    }
  });
});
