// Opening a libSQL client for a DatabaseConfig: the embedded file (default) or a remote server
// (sqld / Turso) chosen by URL alone. Used by the app (db/connection/index.ts), the CLIs and the tests.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import type { DatabaseConfig } from "../../lib/config";

/** How long a writer waits for another connection's lock before SQLITE_BUSY (embedded file only). */
export const BUSY_TIMEOUT_MS = 5_000;

/** The file path behind a `file:` URL, or null for a remote URL. */
export function filePathOf(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0];
  return path === ":memory:" ? null : resolve(path);
}

/**
 * The same URL with a relative `file:` path made absolute against the current folder. The
 * standalone server changes into its own folder on start, so the launcher pins the path first.
 */
export function withAbsoluteFilePath(url: string): string {
  const path = filePathOf(url);
  if (!path) return url;
  const query = url.includes("?") ? url.slice(url.indexOf("?")) : "";
  return `file:${path}${query}`;
}

/**
 * How long one HTTP request to a remote libSQL server (sqld, Turso) may take. The driver sets no
 * deadline of its own, so a server that stops answering (a stalled host, a half-open connection)
 * would hold a visitor's request, a commit and a slot of the driver's 20 concurrent requests for as
 * long as the socket lives. Not shorter: sqld hands a dead instance's write lock on only after
 * about 5 s, and the surviving instances' commits must outwait it. Below the commit deadline
 * (REGISTRATION_COMMIT_TIMEOUT_MS), so a commit still gets the database's own answer.
 */
export const REMOTE_REQUEST_TIMEOUT_MS = 10_000;

/** fetch with REMOTE_REQUEST_TIMEOUT_MS as its deadline (body included): what the HTTP client sends through. */
function fetchWithDeadline(request: Request): Promise<Response> {
  return fetch(request, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(REMOTE_REQUEST_TIMEOUT_MS)]) });
}

export function openClient(config: DatabaseConfig): Client {
  const path = filePathOf(config.url);
  // SQLite creates the file but not its folder.
  if (path) mkdirSync(dirname(path), { recursive: true });
  return createClient({
    url: config.url,
    authToken: config.authToken,
    // An embedded replica (DATABASE_SYNC_URL): reads stay in the local file, pulled by db/connection/replica-sync.ts.
    syncUrl: config.syncUrl,
    // Busy timeout for the embedded file: concurrent writers (two server processes, the migrate
    // CLI) wait their turn instead of failing with SQLITE_BUSY.
    timeout: BUSY_TIMEOUT_MS,
    fetch: fetchWithDeadline,
  });
}

/**
 * Sets up an embedded file for a web server: WAL lets readers and the writer work at once and is
 * stored in the file itself, so setting it once is enough for every later connection. Every commit
 * is fsynced (synchronous=FULL, SQLite's default, kept on purpose): a 303 means the row is on disk.
 */
export async function prepareEmbeddedFile(client: Client, url: string): Promise<void> {
  if (!filePathOf(url)) return;
  await client.execute("PRAGMA journal_mode = WAL");
}
