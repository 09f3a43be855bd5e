/**
 * Jest's TypeScript transform: esbuild strips the types of one file at a time, as ts-jest did here in
 * its isolatedModules mode, in a fraction of the time. Types are checked by `tsc` (npm run typecheck),
 * which `npm run test:unit` runs first, so type-level specs still fail the loop.
 */
const { createHash } = require("node:crypto");
const { transformSync, version } = require("esbuild");

const options = {
  loader: "ts",
  format: "cjs",
  target: "es2022",
  platform: "node",
  sourcemap: "inline",
  // tsc's CommonJS output turns `import()` into `require`, which jest's module registry serves.
  supported: { "dynamic-import": false },
  // What tsconfig.json says, for the settings that change emitted code.
  tsconfigRaw: { compilerOptions: { target: "ES2022", useDefineForClassFields: true, esModuleInterop: true } },
};

module.exports = {
  process(source, filename) {
    return { code: transformSync(source, { ...options, sourcefile: filename }).code };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(version).update(JSON.stringify(options)).update(filename).update("\0").update(source).digest("hex");
  },
};
