// Builds the app once (`npm run build`, unless E2E_SKIP_BUILD=1), starts the standalone server
// through its launcher (as `npm start` and the image do) on a free port against a fresh migrated
// temp database, and hands its URL to every worker through E2E_BASE_URL. The returned
// function stops exactly that server and deletes the folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, migrateDatabase, startServer, TEST_SESSION_SECRET } from "../support/server";

const E2E_SESSION_SECRET = TEST_SESSION_SECRET;

export default async function globalSetup() {
  if (process.env.E2E_BASE_URL) return; // pointed at a server someone else runs
  if (process.env.E2E_SKIP_BUILD !== "1") buildApp();
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-"));
  const databaseUrl = `file:${join(dir, "e2e.db")}`;
  await migrateDatabase(databaseUrl);
  const server = await startServer({ DATABASE_URL: databaseUrl, SESSION_SECRET: E2E_SESSION_SECRET });
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_SESSION_SECRET = E2E_SESSION_SECRET;
  return async () => {
    await server.stop();
    if (process.env.E2E_SHOW_SERVER_LOG) console.log(server.log());
    rmSync(dir, { recursive: true, force: true });
  };
}
