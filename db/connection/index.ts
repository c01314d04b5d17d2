// The connection: the app's Drizzle client, created on first use (so a build, or a page that never
// touches the database, never opens it) and shared by the whole process (lib/process-wide.ts). On a
// remote database every read is watched by the link (remote-link.ts); an embedded replica pulls from
// its primary (replica-sync.ts). Registrations do not commit here: the writer has a thread and a
// connection of its own (db/writer).
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { isRemoteRead, primaryDatabaseOf, readDatabaseConfig, readFreshnessConfig, type DatabaseConfig } from "../../lib/config";
import { processWide } from "../../lib/process-wide";
import * as schema from "../schema";
import { openClient, prepareEmbeddedFile } from "./client";
import { guardClient, LINK_PROBE_DEADLINE_MS, RemoteLink, REMOTE_READ_DEADLINE_MS } from "./remote-link";
import { ReplicaSync } from "./replica-sync";

export type Database = LibSQLDatabase<typeof schema>;

/** `replica`: the supervised pulls of an embedded replica (DATABASE_SYNC_URL), else absent. */
export type Connection = { client: Client; db: Database; ready: Promise<void>; replica?: ReplicaSync };

const shared = processWide<Connection>("connection");
/** Null: the database is a local file (no link to watch). Undefined: not decided yet. */
const sharedLink = processWide<RemoteLink | null>("link");
/** Stopped with the connection (closeDb); the writer module owns it. */
const sharedWriter = processWide<{ stop(): void }>("writer");

export { isConstraintViolation, isMissingTable, SchemaMissingError } from "./errors";
export { filePathOf, openClient, prepareEmbeddedFile, withAbsoluteFilePath } from "./client";
export { explainDatabaseFailure } from "./connection-errors";
export { isLinkFailure, isNeverSent, withDeadline, type LinkHealth, type RemoteLink } from "./remote-link";
export type { ReplicaHealth } from "./replica-sync";

/**
 * The link to the remote database this process reads or writes through, or null when everything is
 * a local file. An embedded replica reads its file; its link is to the primary (commits, pulls).
 */
export function databaseLink(): RemoteLink | null {
  if (sharedLink.value === undefined) {
    const primary = primaryDatabaseOf(readDatabaseConfig());
    sharedLink.value = isRemoteRead(primary) ? new RemoteLink(() => probeOnce(primary)) : null;
  }
  return sharedLink.value;
}

/**
 * One trivial query on a connection of its own: a stuck connection of the app's cannot hold the
 * probe. Closed at the probe's deadline too, so a long outage does not pile up unanswered connections.
 */
async function probeOnce(config: DatabaseConfig): Promise<void> {
  const client = openClient(config);
  const deadline = setTimeout(() => client.close(), LINK_PROBE_DEADLINE_MS);
  try {
    await client.execute("SELECT 1");
  } finally {
    clearTimeout(deadline);
    client.close();
  }
}

function connect(): Connection {
  const config = readDatabaseConfig();
  const raw = openClient(config);
  const link = databaseLink();
  // A read past its deadline leaves its connection behind (if it is still the shared one): the next read opens afresh.
  const dropThis = () => {
    if (shared.value?.client === client) closeConnection();
  };
  const client = link && isRemoteRead(config) ? guardClient(raw, link, REMOTE_READ_DEADLINE_MS, dropThis) : raw;
  if (!config.syncUrl) return { client, db: drizzle(client, { schema }), ready: prepareEmbeddedFile(client, config.url) };
  const replica = new ReplicaSync(client, readFreshnessConfig().replicaSyncIntervalMs);
  // The first pull is awaited but may fail: the replica then serves what its file holds, and health says why.
  return { client, db: drizzle(client, { schema }), ready: replica.start(), replica };
}

/** The shared database, ready for queries. Throws if it cannot be opened (callers show a friendly error). */
export async function getDb(): Promise<Database> {
  shared.value ??= connect();
  try {
    await shared.value.ready;
  } catch (error) {
    closeConnection(); // try afresh next time, e.g. once a locked or missing file is back
    throw error;
  }
  return shared.value.db;
}

/** The embedded replica's pulls, or null when DATABASE_URL is not a replica (or not opened yet). */
export function replicaSync(): ReplicaSync | null {
  return shared.value?.replica ?? null;
}

function closeConnection(): void {
  shared.value?.replica?.stop();
  shared.value?.client.close();
  shared.value = undefined;
}

/** Closes the connection and stops the writer's thread (graceful shutdown, tests). The next use starts afresh. */
export function closeDb(): void {
  closeConnection();
  sharedWriter.value?.stop();
  sharedWriter.value = undefined;
}
