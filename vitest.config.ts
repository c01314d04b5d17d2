import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The data-layer tests that run on both databases (tests/support/temp-db.ts picks the one). */
const SQLD_TESTS = ["tests/unit/registrants-db.test.ts", "tests/unit/registrant-writer.test.ts", "tests/unit/hostile-input.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    // Each file runs in its own process with its own temporary database (tests/support/temp-db.ts).
    pool: "forks",
    // One file per core. Vitest's default (cores - 1) ran the files one at a time on a 2-core CI
    // machine, though most of their time is spent waiting on deadlines and child processes.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      // The data layer again on a real sqld per file (HTTP, JWT auth): the remote database path.
      { extends: true, test: { name: "sqld", include: SQLD_TESTS, env: { TEST_DATABASE: "sqld" }, hookTimeout: 30_000 } },
    ],
  },
});
