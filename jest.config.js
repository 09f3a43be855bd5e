/** Projects: fast unit/emulator specs, local Workers runtime specs (workerd), and engine specs that drive the real Pulumi CLI. */
const base = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
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
  ],
};
