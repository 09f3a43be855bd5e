/** The tiny router that later API slices plug into. */
import { ok } from "../../emulator/envelope";
import { Router } from "../../emulator/router";

const h = () => ok(null);
const router = new Router().addAll([
  { method: "GET", pattern: "/accounts/:accountId/workers/scripts/:script", handler: h },
  { method: "PUT", pattern: "/accounts/:accountId/workers/scripts/:script", handler: h },
  { method: "GET", pattern: "/accounts/:accountId/workers/scripts/search", handler: h, write: false },
]);

it("captures URL-decoded params", () => {
  const m = router.match("GET", "/accounts/abc/workers/scripts/my%20script");
  expect(m).toMatchObject({ kind: "found", params: { accountId: "abc", script: "my script" } });
});

it("prefers a literal segment over a parameter", () => {
  const m = router.match("GET", "/accounts/abc/workers/scripts/search");
  expect(m.kind === "found" && m.route.pattern.endsWith("/search")).toBe(true);
});

it("reports method-not-allowed with the allowed methods, and not-found for other paths", () => {
  expect(router.match("DELETE", "/accounts/abc/workers/scripts/s")).toMatchObject({ kind: "method-not-allowed", allowed: ["GET", "PUT"] });
  expect(router.match("GET", "/accounts/abc/workers")).toEqual({ kind: "not-found" });
  expect(router.match("GET", "/accounts/abc/workers/scripts/%E0%A4%A")).toEqual({ kind: "bad-encoding" });
});
