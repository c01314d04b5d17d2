// Builds the app once (`npm run build`, unless E2E_SKIP_BUILD=1), starts the standalone server
// through its launcher (as `npm start` and the image do) on a free port against a fresh migrated
// temp database, and hands its URL to every worker through E2E_BASE_URL. Beside it, for the
// Playwright project "remote", a second server on a real sqld (JWT auth, migrated by `db:migrate`)
// in E2E_REMOTE_BASE_URL. The returned function stops exactly those processes and deletes the folders.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { buildApp, migrateDatabase, ROOT, startServer, TEST_SESSION_SECRET } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";

const E2E_SESSION_SECRET = TEST_SESSION_SECRET;

export default async function globalSetup() {
  if (process.env.E2E_BASE_URL) return; // pointed at a server someone else runs
  if (process.env.E2E_SKIP_BUILD !== "1") buildApp();
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-"));
  const databaseUrl = `file:${join(dir, "e2e.db")}`;
  await migrateDatabase(databaseUrl);
  const [server, remote] = await Promise.all([
    startServer({ DATABASE_URL: databaseUrl, SESSION_SECRET: E2E_SESSION_SECRET }),
    startRemoteServer(),
  ]);
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_SESSION_SECRET = E2E_SESSION_SECRET;
  process.env.E2E_REMOTE_BASE_URL = remote.server.url;
  process.env.E2E_REMOTE_DATABASE_URL = remote.sqld.httpUrl;
  process.env.E2E_REMOTE_DATABASE_AUTH_TOKEN = remote.sqld.authToken;
  return async () => {
    await Promise.all([server.stop(), remote.server.stop()]);
    if (process.env.E2E_SHOW_SERVER_LOG) console.log(server.log(), remote.server.log());
    await remote.sqld.remove();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** A real sqld, migrated by the real `npm run db:migrate` CLI, and a production server on it. */
async function startRemoteServer(): Promise<{ sqld: RunningSqld; server: Awaited<ReturnType<typeof startServer>> }> {
  const sqld = await startSqld();
  try {
    const env = { DATABASE_URL: sqld.httpUrl, DATABASE_AUTH_TOKEN: sqld.authToken };
    execFileSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "db", "cli", "migrate.ts")], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "pipe" });
    // The list spec writes rows straight into the database and reads them on the next request: that is
    // the window-0 promise. The default window (1 s) is held by remote-freshness.spec.ts.
    return { sqld, server: await startServer({ ...env, SESSION_SECRET: E2E_SESSION_SECRET, LIST_FRESHNESS_WINDOW_MS: "0" }) };
  } catch (error) {
    await sqld.remove();
    throw error;
  }
}
