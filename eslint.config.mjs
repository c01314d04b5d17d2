import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      // A DELETE or UPDATE without WHERE touches every row: make it a deliberate choice.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      // Plain <a> links on purpose: next/link's client code is not shipped (docs/performance.md).
      "@next/next/no-html-link-for-pages": "off",
    },
  },
  {
    // Components ship to the browser; zod and the schemas in lib/*/rules.ts stay on the server
    // (tests/e2e/client-bundle.spec.ts checks the build). The limits live in lib/*/limits.ts.
    files: ["app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["zod", "zod/*", "**/lib/*/rules"], allowTypeImports: true, message: "Client code imports lib/*/limits.ts; zod stays on the server." }] },
      ],
    },
  },
  {
    // The data layer is entered through each job's entry module (db/<job>/index.ts); what is inside
    // a job is its own business (docs/architecture.md "Where things are").
    files: ["app/**", "server/**", "lib/**", "scripts/**", "proxy.ts", "instrumentation.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "(^|/)db/[^/]+/[^/]+$", message: "Import the job's entry module (db/<job>), not a file inside it." }] }],
    },
  },
  globalIgnores([".next/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "bench-results/**", "data/**"]),
]);
