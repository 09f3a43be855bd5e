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
  // Two spec files at a time, also on a 2-core machine (where jest would pick one): a spec of the engine
  // or acceptance tiers spends most of its time waiting on the processes it starts (the CLI, the language
  // host, the program, the provider, the emulator), which leaves room for a second. Every spec uses its
  // own emulator on a free port, its own folders and its own file backend, so none shares state.
  maxWorkers: 2,
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
