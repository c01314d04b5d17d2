// End-to-end and load tests: a production build served by `next start` (tests/e2e/global-setup.ts) with its
// own temp database, driven in real Chromium. CHROMIUM_PATH picks the browser; by default Debian's
// /usr/bin/chromium when it exists, else Playwright's own download.
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const chromiumPath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "e2e", testDir: "tests/e2e" },
    // The main flows again, JavaScript on and off, against a second shared server whose database is
    // a real sqld (DATABASE_URL=http://…, DATABASE_AUTH_TOKEN; tests/e2e/global-setup.ts).
    {
      name: "remote",
      testDir: "tests/e2e",
      testMatch: ["register.spec.ts", "registrants-list.spec.ts", "tasks.spec.ts"],
      use: { baseURL: process.env.E2E_REMOTE_BASE_URL },
      // One file at a time: the list spec writes 120 rows at once, which on the slower remote path
      // once pushed a registrant who had just registered (in another worker) off page 1.
      workers: 1,
    },
    // Load and durability (tests/load): their own servers and databases, after the e2e tests so the
    // two do not fight over the CPU. `--project load --no-deps` runs them alone.
    { name: "load", testDir: "tests/load", dependencies: ["e2e", "remote"] },
  ],
});
