/**
 * How a TenantFleet's state stores its tenants: one text, a line per tenant, which reads back as
 * the same map; state written before the text form (the map itself) reads the same.
 */
import { TenantState, storedTenantStates, tenantStatesOf } from "../../provider/fleet/states";

const states: Record<string, TenantState> = {
  "tenant-a": { specHash: "26c4548b0c245706", etag: "37b6662b3033e588", modifiedOn: "2026-11-29T12:01:45.062691Z" },
  "tenant-b": { specHash: "90f724a4a59b33a0", etag: "0c1f77aa", modifiedOn: "2026-11-29T12:01:45.068009Z", drifted: true },
};

describe("a fleet's stored tenant states", () => {
  it("are a line per tenant: name, fingerprint, etag, modification time, and drifted when refresh set it", () => {
    expect(storedTenantStates(states)).toBe(
      "tenant-a 26c4548b0c245706 37b6662b3033e588 2026-11-29T12:01:45.062691Z\n" + "tenant-b 90f724a4a59b33a0 0c1f77aa 2026-11-29T12:01:45.068009Z drifted",
    );
  });

  it("read back as the same map", () => {
    expect(tenantStatesOf(storedTenantStates(states))).toEqual(states);
  });

  it("keep an empty field, a field that is just '-', and a space, a line break or a percent sign inside one, through the round trip", () => {
    const odd = { "tenant-c": { specHash: "-", etag: "", modifiedOn: "a b\nc%20" } };
    expect(storedTenantStates(odd).split("\n")).toHaveLength(1);
    expect(tenantStatesOf(storedTenantStates(odd))).toEqual(odd);
  });

  it("are no tenant when the fleet has none, or nothing was stored", () => {
    expect(storedTenantStates({})).toBe("");
    expect(tenantStatesOf("")).toEqual({});
    expect(tenantStatesOf(undefined)).toEqual({});
  });

  it("read from state that holds the map itself, as state written before the text form does", () => {
    expect(tenantStatesOf(states)).toBe(states);
  });

  it("take far fewer bytes than the map as JSON: what state encrypts and base64-encodes per tenant", () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`tenant-${String(i).padStart(5, "0")}`, { ...states["tenant-a"], etag: "37b6662b3033e5886f8ae009d8c39f95a2a56130096a5f2cc4f866ca13494890" }]));
    const perTenant = storedTenantStates(many).length / 100;
    expect(perTenant).toBeLessThan(125);
    expect(perTenant).toBeLessThan(JSON.stringify(many).length / 100 - 40);
  });
});
