// Lint rules chosen for a provider that is mostly asynchronous I/O: the type-aware promise rules catch
// the bugs that cost the most here (a request whose failure nobody awaits, a promise passed where a
// callback's result is ignored). Formatting is Prettier's, so no stylistic rule is enabled.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // The benchmark's programs are standalone user projects with their own dependencies; its library is ours.
    ignores: ["dist/**", "dist-dev/**", "**/node_modules/**", "docs/api/**", "**/*.js", "**/*.mjs", "bench/*/**", "!bench/lib/**", ".*/**"],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // The package, the examples' programs and their Worker code are three type worlds (see the tsconfigs).
      parserOptions: {
        project: ["./tsconfig.json", "./tsconfig.examples.json", "./tsconfig.workers.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      // `typeof import("x")` types a module loaded lazily on purpose (the SDK after its mocks, esbuild when a bundle is asked for).
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // require() loads a module at the moment it is needed (provider shims, specs loading the sdk after mocks).
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Specs read Cloudflare's JSON answers and assert on their shape; typing each answer would repeat the assertion.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
