/**
 * What a fleet records in Cloudflare as tags, and how a recovery and a progress line read them: the
 * tenant's own tags always kept within Cloudflare's 8, no fingerprint of a spec with secrets, a listed
 * script taken as uploaded only with the fleet's tags for this spec and the etag its code has
 * elsewhere in the list.
 */
import { FLEET_TAG, isFleetTagged, isFleetUploadOf, tagsWithFleetTags } from "../../provider/fleet/fleet-tags";
import { uploadedAsDeclared } from "../../provider/fleet/listed-tenants";
import { progressLine } from "../../provider/fleet/progress";
import type { TenantSpec } from "../../provider/fleet/spec";
import type { NamespacedScript } from "../../provider/workers/script-api";

const PRINT = "0123456789abcdef";
const spec = (extra: Partial<TenantSpec> = {}): TenantSpec => ({ content: "export default {}", ...extra });

describe("the tags a fleet's upload sends", () => {
  it("are the tenant's own, then the fleet's tag and the spec's", () => {
    const tags = tagsWithFleetTags(spec({ tags: ["customer-1"] }), PRINT);
    expect(tags).toEqual(["customer-1", FLEET_TAG, `pulumi-spec-${PRINT}`]);
    expect(isFleetUploadOf(tags, PRINT)).toBe(true);
    expect(isFleetUploadOf(tags, "fedcba9876543210")).toBe(false);
  });

  it("keep every tag of the tenant's own: with 7 only the fleet's tag fits, with 8 none", () => {
    const seven = Array.from({ length: 7 }, (_, i) => `t${i}`);
    expect(tagsWithFleetTags(spec({ tags: seven }), PRINT)).toEqual([...seven, FLEET_TAG]);
    const eight = [...seven, "t7"];
    expect(tagsWithFleetTags(spec({ tags: eight }), PRINT)).toEqual(eight);
    expect(isFleetTagged(eight)).toBe(false);
  });

  it("carry no fingerprint for a tenant with secret bindings, nor while the fingerprint is unknown", () => {
    const secret = spec({ secretBindings: { KEY: { type: "secret_text", text: "s3cret" } } });
    expect(tagsWithFleetTags(secret, PRINT)).toEqual([FLEET_TAG]);
    expect(tagsWithFleetTags(spec(), undefined)).toEqual([FLEET_TAG]);
  });
});

describe("a recovery's reading of the namespace's list", () => {
  const listed = (name: string, etag: string, tags: string[]): [string, NamespacedScript] => [
    name,
    { modified_on: "2026-12-07T10:00:00Z", script: { id: name, etag, tags, migration_tag: undefined } },
  ];
  const ours = tagsWithFleetTags(spec(), PRINT);
  const list = new Map([
    listed("a", "e1", ours),
    listed("b", "e1", ours),
    listed("c", "e2", ours), // same code as a and b, yet another etag: changed outside Pulumi
    listed("d", "e1", [FLEET_TAG, "pulumi-spec-fedcba9876543210"]), // uploaded from another spec
    listed("e", "e1", []), // not uploaded by a fleet
  ]);
  const candidate = { print: PRINT, code: "code-1" };

  it("takes the tenants uploaded by the fleet from this spec whose etag agrees with their code's", () => {
    const taken = uploadedAsDeclared({ a: candidate, b: candidate, c: candidate, d: candidate, e: candidate, missing: candidate }, list);
    expect([...taken.keys()]).toEqual(["a", "b"]);
    expect(taken.get("a")).toMatchObject({ etag: "e1", modified_on: "2026-12-07T10:00:00Z" });
  });

  it("takes none while a tenant's fingerprint is unknown", () => {
    expect(uploadedAsDeclared({ a: { print: undefined, code: "code-1" } }, list).size).toBe(0);
  });
});

describe("a progress line", () => {
  it("says done of total, the requests in the window, the wait imposed and the time left", () => {
    const line = progressLine(
      { fleet: "tenants", verb: "uploaded", done: 100, total: 400, elapsedMs: 20_000 },
      { sentInWindow: 110, windowRequests: 12_000, windowMs: 300_000, waitMs: 4_200 },
    );
    expect(line).toBe(
      "cloudflare-wfp: fleet 'tenants': uploaded 100 of 400 tenants; 110 requests in the last 300 s; Cloudflare's rate limit holds requests for 5 s; about 60 s left at this rate",
    );
  });

  it("never says less time is left than the window allows: a first burst into an empty window is not the pace", () => {
    const line = progressLine(
      { fleet: "tenants", verb: "uploaded", done: 1189, total: 10_000, elapsedMs: 29_000 },
      { sentInWindow: 1192, windowRequests: 1200, windowMs: 300_000, waitMs: 284_000 },
    );
    // 8,811 tenants at 1200 requests per 300 s: about 37 minutes, not the 3.6 the first 29 s suggest.
    expect(line).toMatch(/about 37 min left at this rate$/);
  });

  it("leaves out a wait when none is imposed", () => {
    expect(
      progressLine(
        { fleet: "f", verb: "deleted", done: 0, total: 5, elapsedMs: 10_000 },
        { sentInWindow: 3, windowRequests: 1200, windowMs: 5_000, waitMs: 0 },
      ),
    ).toBe("cloudflare-wfp: fleet 'f': deleted 0 of 5 tenants; 3 requests in the last 5 s");
  });
});
