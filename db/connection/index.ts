// The app's Drizzle client and its registration writer. Created on first use (so a build, or a page
// that never touches the database, never opens it) and kept on globalThis: dev-mode hot reloads
// reuse them, and the server's route bundles (the register action, /api/health), which each get
// their own copy of these modules, share one connection and one writer queue.
// Registrations are committed on a supervised thread of their own (db/writer/commit-thread-supervisor.ts) with its own connection.
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { Client } from "@libsql/client";
import { isRemoteRead, primaryDatabaseOf, readDatabaseConfig, readFreshnessConfig, readWriterConfig, type DatabaseConfig } from "../../lib/config";
import { openClient, prepareEmbeddedFile } from "./client";
import { CommitWorker } from "../writer/commit-thread-supervisor";
import { GroupCommit } from "../writer/group-commit";
import { guardClient, LINK_PROBE_DEADLINE_MS, RemoteLink, REMOTE_READ_DEADLINE_MS } from "./remote-link";
import { ReplicaSync } from "./replica-sync";
import * as schema from "../schema";

export type Database = LibSQLDatabase<typeof schema>;

/** `replica`: the supervised pulls of an embedded replica (DATABASE_SYNC_URL), else absent. */
type Connection = { client: Client; db: Database; ready: Promise<void>; replica?: ReplicaSync };
const holder = globalThis as typeof globalThis & {
  __registrantsDb?: Connection;
  __registrantsWriter?: GroupCommit;
  /** Whether the remote database answers (db/connection/remote-link.ts): one state for reads, commits and health. Null: the database is a local file. */
  __registrantsLink?: RemoteLink | null;
  /** Commits this process's writer has made: how the list's freshness check knows this instance wrote (db/list-version/shared-read.ts). */
  __registrantsLocalCommits?: number;
};

/**
 * The link to the remote database this process reads or writes through, or null when everything is
 * a local file. An embedded replica reads its file; its link is to the primary (commits, pulls).
 */
export function databaseLink(): RemoteLink | null {
  if (holder.__registrantsLink === undefined) {
    const primary = primaryDatabaseOf(readDatabaseConfig());
    holder.__registrantsLink = isRemoteRead(primary) ? new RemoteLink(() => probeOnce(primary)) : null;
  }
  return holder.__registrantsLink;
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
    if (holder.__registrantsDb?.client === client) closeConnection();
  };
  const client = link && isRemoteRead(config) ? guardClient(raw, link, REMOTE_READ_DEADLINE_MS, dropThis) : raw;
  if (!config.syncUrl) return { client, db: drizzle(client, { schema }), ready: prepareEmbeddedFile(client, config.url) };
  const replica = new ReplicaSync(client, readFreshnessConfig().replicaSyncIntervalMs);
  // The first pull is awaited but may fail: the replica then serves what its file holds, and health says why.
  return { client, db: drizzle(client, { schema }), ready: replica.start(), replica };
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
  // An embedded replica's file is written only by its pulls: commits go to the primary.
  const database = primaryDatabaseOf(readDatabaseConfig());
  return new GroupCommit(new CommitWorker({ database, commitTimeoutMs, faultFile }), { queueLimit, answerWithinMs: commitTimeoutMs, link: databaseLink() }, afterLocalCommit);
}

/**
 * After any commit of this process that changes registrants, before its visitor is answered: count
 * it (the list's shared version read is then dropped, db/list-version/shared-read.ts) and pull it into an
 * embedded replica, so the visitor's next request shows it. Every write path must call it. Never throws.
 */
export async function afterLocalCommit(): Promise<void> {
  holder.__registrantsLocalCommits = localCommitCount() + 1;
  await holder.__registrantsDb?.replica?.syncNow();
}

/** How many registration commits this process has made (it only ever grows). */
export function localCommitCount(): number {
  return holder.__registrantsLocalCommits ?? 0;
}

/** Grows with every change of the data this process knows of: its own commits, and a replica's pulls that brought something. */
export function knownChangeCount(): number {
  return localCommitCount() + (replicaSync()?.changes() ?? 0);
}

/** The embedded replica's pulls, or null when DATABASE_URL is not a replica (or not opened yet). */
export function replicaSync(): ReplicaSync | null {
  return holder.__registrantsDb?.replica ?? null;
}

function closeConnection(): void {
  holder.__registrantsDb?.replica?.stop();
  holder.__registrantsDb?.client.close();
  holder.__registrantsDb = undefined;
}

/** Closes the connection and stops the commit thread (graceful shutdown, tests). The next use starts afresh. */
export function closeDb(): void {
  closeConnection();
  holder.__registrantsWriter?.stop();
  holder.__registrantsWriter = undefined;
}
