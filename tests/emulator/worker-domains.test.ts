/**
 * Workers custom domains (`/accounts/:a/workers/domains`, SOURCES.md §5.8) through the official SDK's
 * `client.workers.domains`: attach (an upsert by hostname), list with filters, get and detach; the
 * hostname must be the zone's apex or a subdomain of it, the zone must be the account's, the Worker must exist.
 */
import Cloudflare from "cloudflare";
import { defaultZoneId, type Emulator } from "../../emulator";
import { HEX32, rejectionOf, useEmulator } from "./helpers";

let emu: Emulator;
let cf: Cloudflare;
let account_id: string;
let zone_id: string;

useEmulator(
  (f) => {
    ({ emu, cf, account_id } = f);
    zone_id = defaultZoneId(account_id, "example.com");
  },
  { zones: [{ name: "example.com" }, { name: "example.net" }] },
);

const WORKER = "export default { fetch() { return new Response('hi') } }";

async function uploadWorker(name: string): Promise<void> {
  const form = new FormData();
  form.append(
    "metadata",
    new Blob([JSON.stringify({ main_module: "index.js", compatibility_date: "2025-01-01" })], { type: "application/json" }),
  );
  form.append("index.js", new File([WORKER], "index.js", { type: "application/javascript+module" }));
  await cf.put(`/accounts/${account_id}/workers/scripts/${name}`, { body: form });
}

async function refusal(call: () => Promise<unknown>): Promise<{ status: number; code: number; message: string }> {
  const err = await rejectionOf(call);
  expect(err).toBeInstanceOf(Cloudflare.APIError);
  return { status: err.status, code: err.errors[0].code, message: err.errors[0].message };
}

beforeEach(() => uploadWorker("router"));

describe("attaching a custom domain", () => {
  it("answers the domain with its zone, and lists, gets and detaches it", async () => {
    const domain = await cf.workers.domains.update({ account_id, hostname: "app.example.com", service: "router", zone_id });
    expect(domain).toEqual({
      id: expect.stringMatching(HEX32),
      cert_id: expect.stringMatching(HEX32),
      hostname: "app.example.com",
      service: "router",
      zone_id,
      zone_name: "example.com",
      environment: "production",
    });
    expect(await cf.workers.domains.get(domain.id, { account_id })).toEqual(domain);
    const listed: string[] = [];
    for await (const d of cf.workers.domains.list({ account_id, service: "router" })) listed.push(d.hostname);
    expect(listed).toEqual(["app.example.com"]);
    await cf.workers.domains.delete(domain.id, { account_id });
    expect(emu.state.account(account_id)!.workerDomains).toEqual([]);
    expect(await refusal(() => cf.workers.domains.get(domain.id, { account_id }))).toMatchObject({ status: 404, code: 10005 });
  });

  it("finds the zone from the hostname (the longest zone name it ends with) when no zone is given", async () => {
    const apex = await cf.workers.domains.update({ account_id, hostname: "example.net", service: "router" });
    expect(apex).toMatchObject({ zone_name: "example.net", zone_id: defaultZoneId(account_id, "example.net") });
  });

  it("is an upsert by hostname: attaching it to another Worker moves it and keeps its id", async () => {
    await uploadWorker("router-v2");
    const first = await cf.workers.domains.update({ account_id, hostname: "app.example.com", service: "router", zone_id });
    const moved = await cf.workers.domains.update({ account_id, hostname: "app.example.com", service: "router-v2", zone_id });
    expect(moved).toMatchObject({ id: first.id, service: "router-v2" });
    expect(emu.state.account(account_id)!.workerDomains).toHaveLength(1);
  });
});

describe("what Cloudflare refuses, leaving nothing attached", () => {
  afterEach(() => expect(emu.state.account(account_id)!.workerDomains).toEqual([]));

  it("a hostname outside the given zone: 400 naming hostname and zone", async () => {
    expect(await refusal(() => cf.workers.domains.update({ account_id, hostname: "app.example.net", service: "router", zone_id }))).toEqual(
      {
        status: 400,
        code: 10026,
        message: "Hostname 'app.example.net' is not in zone 'example.com': give the zone apex or a subdomain of it",
      },
    );
  });

  it("a hostname in no zone of the account: 400 / 10082", async () => {
    expect(await refusal(() => cf.workers.domains.update({ account_id, hostname: "app.other.org", service: "router" }))).toMatchObject({
      status: 400,
      code: 10082,
    });
  });

  it("an unknown zone: 404 / 10083 workers.api.error.zone_not_found", async () => {
    expect(
      await refusal(() =>
        cf.workers.domains.update({ account_id, hostname: "app.example.com", service: "router", zone_id: "f".repeat(32) }),
      ),
    ).toEqual({
      status: 404,
      code: 10083,
      message: `workers.api.error.zone_not_found for "${"f".repeat(32)}"`,
    });
  });

  it.each(["https://app.example.com", "app.example.com/*", "*.example.com", "App.Example.com"])(
    "the hostname %s: 400 / 10026",
    async (hostname) => {
      expect(await refusal(() => cf.workers.domains.update({ account_id, hostname, service: "router", zone_id }))).toMatchObject({
        status: 400,
        code: 10026,
      });
    },
  );

  it("a Worker that does not exist: 404 / 10007", async () => {
    expect(
      await refusal(() => cf.workers.domains.update({ account_id, hostname: "app.example.com", service: "missing", zone_id })),
    ).toMatchObject({ status: 404, code: 10007 });
  });
});
