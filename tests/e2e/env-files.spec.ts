// `npm start` reads the project's .env files as `next start` would (production mode, lib/env-files.ts):
// the launcher, started from a folder holding only .env files, takes its database and start-up
// settings from them, while a variable set in the environment still wins.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { jsonLines } from "../support/processes";
import { startServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-env-files-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the production launcher takes DATABASE_URL and MIGRATE_ON_START from .env.production, not .env.development", async () => {
  writeFileSync(join(dir, ".env.production"), "DATABASE_URL=file:./from-env-production.db\nMIGRATE_ON_START=1\n");
  writeFileSync(join(dir, ".env.development"), "DATABASE_URL=file:./from-env-development.db\n");
  const server = await startServer({ DATABASE_URL: undefined, MIGRATE_ON_START: undefined }, { cwd: dir });
  try {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(existsSync(join(dir, "from-env-production.db"))).toBe(true);
    expect(existsSync(join(dir, "from-env-development.db"))).toBe(false);
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "start.migrated", database: expect.stringContaining("from-env-production.db") }));
  } finally {
    await server.stop();
  }
});
