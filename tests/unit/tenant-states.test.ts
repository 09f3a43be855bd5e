/**
 * How a TenantFleet's state stores its tenants: one text, a header with what tenants share, then a
 * line per tenant, which reads back as the same map; state written in the line form before it, or
 * as the map itself, reads the same.
 */
import { packedText } from "../../provider/fleet/packed-spec";
import { type TenantState, storedTenantStates, tenantStatesOf } from "../../provider/fleet/states";
import { storedTenantSecrets } from "../../provider/fleet/tenant-secrets";

const ETAG = "37b6662b3033e5886f8ae009d8c39f95a2a56130096a5f2cc4f866ca13494890";
const states: Record<string, TenantState> = {
  "tenant-a": { specHash: "26c4548b0c245706", etag: ETAG, modifiedOn: "2026-11-29T12:01:45.062691Z" },
  "tenant-b": { specHash: "90f724a4a59b33a0", etag: "0c1f77aa", modifiedOn: "2026-11-29T12:01:50.068009Z", drifted: true },
};

const linesOf = (text: string) => text.split("\n");

describe("a fleet's stored tenant states", () => {
  it("are a header (the form, the earliest modification time, each distinct etag once), then a line per tenant by name", () => {
    const [header, a, b] = linesOf(storedTenantStates(states));
    const earliest = Date.parse("2026-11-29T12:01:45Z") / 1000;
    expect(header).toBe(`#2 ${earliest.toString(36)} ${ETAG} 0c1f77aa`);
    // Name (what it shares with the name before, then the rest), fingerprint in base64url, etag's place,
    // then the fraction's digits and (seconds after the earliest, the fraction) as one base-36 number.
    expect(a).toBe(`0tenant-a ${Buffer.from("26c4548b0c245706", "hex").toString("base64url")} 0 6${(62691).toString(36)}`);
    expect(b).toBe(`7b ${Buffer.from("90f724a4a59b33a0", "hex").toString("base64url")} 1 6${(5068009).toString(36)} d`);
  });

  it("read back as the same map", () => {
    expect(tenantStatesOf(storedTenantStates(states))).toEqual(states);
  });

  it("write each distinct etag once, however many tenants share it", () => {
    const shared = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`t${i}`, { ...states["tenant-a"], etag: i % 2 === 0 ? ETAG : "0c1f77aa" }]),
    );
    const text = storedTenantStates(shared);
    expect(text.split(ETAG)).toHaveLength(2);
    expect(text.split("0c1f77aa")).toHaveLength(2);
    expect(tenantStatesOf(text)).toEqual(shared);
  });

  it("write the optional fields only when set, and read them back", () => {
    const withOptional: Record<string, TenantState> = {
      "tenant-a": {
        ...states["tenant-a"],
        assetsHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        migrationTag: "v2",
      },
      "tenant-b": { ...states["tenant-b"], migrationTag: "v1" },
      "tenant-c": { specHash: "aa", etag: ETAG, modifiedOn: "2026-11-29T12:01:45Z" },
    };
    const text = storedTenantStates(withOptional);
    expect(linesOf(text)[1]).toMatch(/ a9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 mv2$/);
    expect(linesOf(text)[2]).toMatch(/ d mv1$/);
    // No optional field: four fields (a fingerprint that is not 16 hex digits is written whole).
    expect(linesOf(text)[3]).toBe("7c ~aa 0 00");
    expect(tenantStatesOf(text)).toEqual(withOptional);
  });

  it("keep an empty field, a field that is just '-', and a space, a line break or a percent sign inside any field, through the round trip", () => {
    const odd: Record<string, TenantState> = {
      "tenant c": { specHash: "-", etag: "", modifiedOn: "a b\nc%20", assetsHash: "", migrationTag: "- %\n" },
      "tenant-%d": { specHash: "x y", etag: "e t a g", modifiedOn: "", drifted: true, migrationTag: "-" },
    };
    const text = storedTenantStates(odd);
    expect(linesOf(text)).toHaveLength(3);
    expect(tenantStatesOf(text)).toEqual(odd);
  });

  it("keep a modification time or a fingerprint whole when its short form would not read back exactly", () => {
    const times = [
      "2026-11-29T12:01:45+00:00",
      "2026-02-30T12:01:45Z",
      "1969-12-31T23:59:59Z",
      "2026-11-29T12:01:45.120Z",
      "2026-11-29T12:01:45.000000000Z",
      "2026-11-29T12:01:45.1234567891Z",
      "2026-11-29t12:01:45Z",
      "yesterday",
      "~1",
    ];
    const hashes = ["26C4548B0C245706", "26c4548b0c24570", "~26c4548b0c245706", "-", "26c4548b0c2457060"];
    const odd = Object.fromEntries(
      times.map((modifiedOn, i) => [`tenant-${i}`, { specHash: hashes[i % hashes.length], etag: ETAG, modifiedOn }]),
    );
    expect(tenantStatesOf(storedTenantStates(odd))).toEqual(odd);
  });

  it("skip an optional field of a tag this version does not know", () => {
    const text = storedTenantStates({ "tenant-a": states["tenant-a"] });
    expect(tenantStatesOf(`${text} zsomething`)).toEqual({ "tenant-a": states["tenant-a"] });
  });

  it("keep names that share long prefixes, or none", () => {
    const long = "t".repeat(63);
    const names = [long, `${long.slice(0, 62)}u`, "a", "a-b", "a-c", "b_1", "0"];
    const many = Object.fromEntries(names.map((n) => [n, states["tenant-a"]]));
    expect(tenantStatesOf(storedTenantStates(many))).toEqual(many);
  });

  it("are no tenant when the fleet has none, or nothing was stored", () => {
    expect(storedTenantStates({})).toBe("");
    expect(tenantStatesOf("")).toEqual({});
    expect(tenantStatesOf(undefined)).toEqual({});
  });

  it("read from the line form written before the header form", () => {
    const lineForm =
      "tenant-a 26c4548b0c245706 37b6662b3033e588 2026-11-29T12:01:45.062691Z\ntenant-b 90f724a4a59b33a0 0c1f77aa 2026-11-29T12:01:45.068009Z drifted\ntenant-c %2D - a%20b";
    expect(tenantStatesOf(lineForm)).toEqual({
      "tenant-a": { specHash: "26c4548b0c245706", etag: "37b6662b3033e588", modifiedOn: "2026-11-29T12:01:45.062691Z" },
      "tenant-b": { specHash: "90f724a4a59b33a0", etag: "0c1f77aa", modifiedOn: "2026-11-29T12:01:45.068009Z", drifted: true },
      "tenant-c": { specHash: "-", etag: "", modifiedOn: "a b" },
    });
  });

  it("read from state that holds the map itself, as state written before any text form does", () => {
    expect(tenantStatesOf(states)).toBe(states);
  });
});

describe("state per tenant of 1,000 tenants written with the helpers", () => {
  // As the sdk registers them (a string, json(...), secret(...) and one KVNamespace bound as a resource each: that
  // one is registered once, in the defaults, tenant-fleet-registration.test.ts), and as the provider answers after
  // a first up: one code, so one etag, modified within a few minutes.
  const N = 1000;
  const names = Array.from({ length: N }, (_, i) => `tenant-${String(i).padStart(5, "0")}`);
  const tenants = Object.fromEntries(
    names.map((name, i) => [
      name,
      packedText({
        bindings: {
          PLAN: { type: "plain_text", text: i % 3 === 0 ? "pro" : "free" },
          CONFIG: { type: "json", json: { plan: i % 3 === 0 ? "pro" : "free", seats: 5 + (i % 50) } },
        },
      }),
    ]),
  );
  const secrets = Object.fromEntries(
    names.map((name, i) => [
      name,
      { API_KEY: { type: "secret_text", text: `sk_${(i * 2654435761).toString(16).padStart(24, "0").slice(0, 24)}` } },
    ]),
  );
  const scripts = Object.fromEntries(
    names.map((name, i) => [
      name,
      {
        specHash: (i * 40503).toString(16).padStart(16, "a"),
        etag: ETAG,
        modifiedOn: new Date(Date.UTC(2026, 10, 29, 12, 0, 0) + i * 157).toISOString().replace("Z", "391Z"),
      },
    ]),
  );
  // How state holds a secret: an envelope, then the JSON text encrypted (AES-GCM adds a 16-byte tag) and base64-encoded.
  const sealed = (text: string) =>
    '{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"v1:AAAAAAAAAAAAAAAA:"}'.length +
    Math.ceil((JSON.stringify(text).length + 16) / 3) * 4;

  it("is under 250 bytes: the tenants' texts, their secrets as one secret and their states as one secret", () => {
    const perTenant = (JSON.stringify(tenants).length + sealed(storedTenantSecrets(secrets)!) + sealed(storedTenantStates(scripts))) / N;
    expect(perTenant).toBeLessThan(250);
  });

  it("keeps a tenant's state to well under 64 characters before encryption: an etag shared by every tenant written once", () => {
    const text = storedTenantStates(scripts);
    expect(text.length / N).toBeLessThan(40);
    expect(tenantStatesOf(text)).toEqual(scripts);
  });
});
