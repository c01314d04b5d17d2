// The app's one Drizzle client. Created on first use (so a build, or a page that never touches the
// database, never opens it) and kept on globalThis so dev-mode hot reloads reuse the connection.
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { readDatabaseConfig } from "../lib/config";
import { openClient, prepareEmbeddedFile } from "./client";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;

type Connection = { client: Client; db: Database; ready: Promise<void> };
const holder = globalThis as typeof globalThis & { __registrantsDb?: Connection };

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
    closeDb(); // try afresh next time, e.g. once a locked or missing file is back
    throw error;
  }
  return holder.__registrantsDb.db;
}

/** Closes the shared client (graceful shutdown, tests). The next getDb() opens a new one. */
export function closeDb(): void {
  holder.__registrantsDb?.client.close();
  holder.__registrantsDb = undefined;
}
