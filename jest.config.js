/**
 * Projects: fast unit/emulator specs, local Workers runtime specs (workerd), engine specs that drive the
 * real Pulumi engine, wrangler specs that run Cloudflare's CLI against the emulator (alone and beside a Pulumi
 * stack), and acceptance specs that run the `pulumi` CLI in a user's project outside the repo.
 */
const base = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "<rootDir>/tests/harness/transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
};
module.exports = {
  projects: [
    { ...base, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts", "<rootDir>/tests/emulator/**/*.test.ts"] },
    { ...base, displayName: "runtime", testMatch: ["<rootDir>/tests/runtime/**/*.test.ts"], slowTestThreshold: 30 },
    {
      ...base,
      displayName: "engine",
      testMatch: ["<rootDir>/tests/engine/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/engine/harness/global-setup.ts",
      slowTestThreshold: 120,
    },
    {
      ...base,
      displayName: "wrangler",
      testMatch: ["<rootDir>/tests/wrangler/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/engine/harness/global-setup.ts",
      slowTestThreshold: 120,
    },
    {
      ...base,
      displayName: "acceptance",
      testMatch: ["<rootDir>/tests/acceptance/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/acceptance/harness/global-setup.ts",
      slowTestThreshold: 120,
    },
  ],
};
