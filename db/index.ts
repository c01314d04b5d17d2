// The app's Drizzle client. Created on first use (so a build, or a page that never touches the
// database, never opens it) and kept on globalThis so dev-mode hot reloads reuse the connection.
// Registrations are committed on a supervised thread of their own (db/commit-worker.ts) with its own connection.
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { readDatabaseConfig, readWriterConfig } from "../lib/config";
import { openClient, prepareEmbeddedFile } from "./client";
import { CommitWorker, type WriterHealth } from "./commit-worker";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;

type Connection = { client: Client; db: Database; ready: Promise<void> };
const holder = globalThis as typeof globalThis & { __registrantsDb?: Connection; __registrantsCommitWorker?: CommitWorker };

function connect(): Connection {
  const config = readDatabaseConfig();
  const client = openClient(config);
  return { client, db: drizzle(client, { schema }), ready: prepareEmbeddedFile(client, config.url) };
}

/** The shared database, ready for queries. Throws if it cannot be opened (callers show a friendly error). */
export async function getDb(): Promise<Database> {
  holder.__registrantsDb ??= connect();
  try {
    await holder.__registrantsDb.ready;
  } catch (error) {
    closeConnection(); // try afresh next time, e.g. once a locked or missing file is back
    throw error;
  }
  return holder.__registrantsDb.db;
}

/** The supervised thread that commits registrations (started on first use). */
export function getCommitWorker(): CommitWorker {
  return (holder.__registrantsCommitWorker ??= startCommitWorker());
}

function startCommitWorker(): CommitWorker {
  const { commitTimeoutMs, faultFile } = readWriterConfig();
  return new CommitWorker({ database: readDatabaseConfig(), commitTimeoutMs, faultFile });
}

/** How the writer is doing, for /api/health: never starts it ("ok" before the first registration). */
export function commitWorkerHealth(): WriterHealth {
  return holder.__registrantsCommitWorker?.health() ?? { state: "ok", restarts: 0 };
}

function closeConnection(): void {
  holder.__registrantsDb?.client.close();
  holder.__registrantsDb = undefined;
}

/** Closes the connection and stops the commit thread (graceful shutdown, tests). The next use starts afresh. */
export function closeDb(): void {
  closeConnection();
  holder.__registrantsCommitWorker?.stop();
  holder.__registrantsCommitWorker = undefined;
}
