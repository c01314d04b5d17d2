import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    // Each file runs in its own process with its own temporary database (tests/support/temp-db.ts).
    pool: "forks",
    testTimeout: 20_000,
  },
});
