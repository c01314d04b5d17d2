// The app's Drizzle client and its registration writer. Created on first use (so a build, or a page
// that never touches the database, never opens it) and kept on globalThis: dev-mode hot reloads
// reuse them, and the server's route bundles (the register action, /api/health), which each get
// their own copy of these modules, share one connection and one writer queue.
// Registrations are committed on a supervised thread of their own (db/commit-worker.ts) with its own connection.
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { readDatabaseConfig, readWriterConfig } from "../lib/config";
import { openClient, prepareEmbeddedFile } from "./client";
import { CommitWorker } from "./commit-worker";
import { GroupCommit } from "./group-commit";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;

type Connection = { client: Client; db: Database; ready: Promise<void> };
const holder = globalThis as typeof globalThis & { __registrantsDb?: Connection; __registrantsWriter?: GroupCommit };

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

/** The group commit in front of the supervised commit thread (which starts with the first commit). */
export function getRegistrationWriter(): GroupCommit {
  return (holder.__registrantsWriter ??= createRegistrationWriter());
}

function createRegistrationWriter(): GroupCommit {
  const { commitTimeoutMs, faultFile, queueLimit } = readWriterConfig();
  return new GroupCommit(new CommitWorker({ database: readDatabaseConfig(), commitTimeoutMs, faultFile }), queueLimit);
}

function closeConnection(): void {
  holder.__registrantsDb?.client.close();
  holder.__registrantsDb = undefined;
}

/** Closes the connection and stops the commit thread (graceful shutdown, tests). The next use starts afresh. */
export function closeDb(): void {
  closeConnection();
  holder.__registrantsWriter?.stop();
  holder.__registrantsWriter = undefined;
}
