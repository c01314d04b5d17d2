// The app's Drizzle clients. Created on first use (so a build, or a page that never touches the
// database, never opens it) and kept on globalThis so dev-mode hot reloads reuse the connections.
// Registrations get a connection of their own (db/registrant-writer.ts): after a commit that failed
// (SQLITE_BUSY past the busy timeout) the libSQL driver can leave a statement open that makes every
// later COMMIT on that connection fail, so the writer drops its connection then, without closing
// the one that pages are reading through.
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { readDatabaseConfig } from "../lib/config";
import { openClient, prepareEmbeddedFile } from "./client";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;

type Connection = { client: Client; db: Database; ready: Promise<void> };
type Role = "read" | "write";
const holder = globalThis as typeof globalThis & { __registrantsDb?: Partial<Record<Role, Connection>> };

function connect(): Connection {
  const config = readDatabaseConfig();
  const client = openClient(config);
  return { client, db: drizzle(client, { schema }), ready: prepareEmbeddedFile(client, config.url) };
}

async function connection(role: Role): Promise<Database> {
  const connections = (holder.__registrantsDb ??= {});
  const current = (connections[role] ??= connect());
  try {
    await current.ready;
  } catch (error) {
    dropConnection(role); // try afresh next time, e.g. once a locked or missing file is back
    throw error;
  }
  return current.db;
}

/** The shared database for reads, ready for queries. Throws if it cannot be opened (callers show a friendly error). */
export function getDb(): Promise<Database> {
  return connection("read");
}

/** The registration writer's own connection. */
export function getWriteDb(): Promise<Database> {
  return connection("write");
}

/** Closes one connection; the next use opens a new one. */
export function dropConnection(role: Role): void {
  holder.__registrantsDb?.[role]?.client.close();
  if (holder.__registrantsDb) holder.__registrantsDb[role] = undefined;
}

/** Closes every connection (graceful shutdown, tests). The next use opens new ones. */
export function closeDb(): void {
  dropConnection("read");
  dropConnection("write");
}
