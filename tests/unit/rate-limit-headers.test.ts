/**
 * Reading Cloudflare's rate-limit headers as its limits page documents them: RFC 8941 lists in
 * `Ratelimit` and `Ratelimit-Policy`, the most constraining limit deciding, the legacy
 * `x-ratelimit-*` pair only when no `Ratelimit` came, and a field that does not parse ignored whole.
 */
import { readPolicies, readRateLimit } from "../../provider/cloudflare/rate-limit-headers";
import { parseList } from "../../provider/cloudflare/structured-fields";

const NOW = Date.parse("2025-09-03T12:00:00Z");

describe("RFC 8941 lists", () => {
  it("parse strings, tokens, numbers and booleans with parameters, across several members", () => {
    expect(parseList(`"default";r=50;t=30, burst;q=100;w=60.5;flag, "a\\"b";x=?0`)).toEqual([
      { value: "default", params: { r: 50, t: 30 } },
      { value: "burst", params: { q: 100, w: 60.5, flag: true } },
      { value: 'a"b', params: { x: false } },
    ]);
  });

  it.each([`"default";r=50,`, `"unterminated;r=1`, `"default";R=1`, `(inner list)`, `"x" "y"`])("reject %s as a whole", (field) => {
    expect(parseList(field)).toBeUndefined();
  });
});

describe("what an answer says of the budget", () => {
  it("is Cloudflare's documented example: r left, t seconds to the reset, and the policy's quota per window", () => {
    const headers = new Headers({ ratelimit: `"default";r=50;t=30`, "ratelimit-policy": `"burst";q=100;w=60` });
    expect(readRateLimit(headers, NOW)).toEqual({
      remaining: 50,
      resetAt: NOW + 30_000,
      limits: [{ remaining: 50, resetAt: NOW + 30_000 }],
      policies: [{ name: "burst", quota: 100, windowMs: 60_000 }],
    });
  });

  it("takes the most constraining of several limits, each with the window its policy announces, and every announced policy", () => {
    const headers = new Headers({
      ratelimit: `"default";r=900;t=200, "ip";r=3;t=1`,
      "ratelimit-policy": `"default";q=1200;w=300, "ip";q=200;w=1`,
    });
    expect(readRateLimit(headers, NOW)).toMatchObject({
      remaining: 3,
      resetAt: NOW + 1000,
      limits: [
        { remaining: 900, resetAt: NOW + 200_000, windowMs: 300_000 },
        { remaining: 3, resetAt: NOW + 1000, windowMs: 1000 },
      ],
    });
    expect(readPolicies(headers).map((p) => [p.name, p.quota, p.windowMs])).toEqual([
      ["default", 1200, 300_000],
      ["ip", 200, 1000],
    ]);
  });

  it("reads the legacy x-ratelimit pair (RFC 1123 reset) only when no Ratelimit came", () => {
    const legacy = { "x-ratelimit-remaining": "7", "x-ratelimit-reset": "Wed, 03 Sep 2025 12:00:10 GMT" };
    expect(readRateLimit(new Headers(legacy), NOW)).toEqual({
      remaining: 7,
      resetAt: NOW + 11_000,
      limits: [{ remaining: 7, resetAt: NOW + 11_000 }],
      policies: [],
    });
    expect(readRateLimit(new Headers({ ...legacy, ratelimit: `"default";r=40;t=5` }), NOW)).toMatchObject({
      remaining: 40,
      resetAt: NOW + 5000,
    });
    // A Ratelimit that does not parse is ignored whole: the legacy pair is the fallback.
    expect(readRateLimit(new Headers({ ...legacy, ratelimit: `default;r=` }), NOW)).toMatchObject({ remaining: 7 });
  });

  it("is nothing when the answer says nothing usable", () => {
    expect(readRateLimit(new Headers(), NOW)).toBeUndefined();
    expect(readRateLimit(new Headers({ ratelimit: `"default";t=5` }), NOW)).toBeUndefined();
    expect(readPolicies(new Headers({ "ratelimit-policy": `"default";q=0;w=300, "x";q=5` }))).toEqual([]);
  });
});
