// The list's version, for the launcher's document cache (server/document-cache.ts): a number the
// triggers bump in every transaction that changes registrants, whoever commits it, read with the row
// count. A page the cache keeps is served only while the version is the one it was rendered at.
// How often the version is really read is decided here, once, by topology:
// - the embedded file: again whenever SQLite's WAL-index header says a commit landed
//   (docs/decisions/wal-index-probe.md);
// - a remote database (sqld, Turso): one read shared for LIST_FRESHNESS_WINDOW_MS;
// - an embedded replica: one read shared until its next pull that brings a change.
// On all three, a commit this process made (afterLocalCommit) makes the next request read afresh.
import { readDatabaseConfig, readFreshnessConfig, type DatabaseConfig } from "../../lib/config";
import { filePathOf, replicaSync } from "../connection";
import { forgetDatabaseStatus } from "../health/availability";
import { processWide } from "../../lib/process-wide";
import { readListState, type ListState } from "./data-version";
import { createListStateReader, type ListStateReader } from "./shared-read";
import { walIndexProbe } from "./wal-index";

/** How many commits this process's writer has made. */
const localCommits = processWide<number>("localCommits");

export type { ListState };
export type ListVersion = ListStateReader;

export type Freshness =
  | { mode: "commit-marker"; file: string }
  | { mode: "shared-read"; windowMs: number }
  | { mode: "replica"; windowMs: number };

/** Which freshness mode a database gets (the only place that decides it). */
export function freshnessOf(database: DatabaseConfig, settings: { listFreshnessWindowMs: number; replicaSyncIntervalMs: number }): Freshness {
  // A replica's file changes only when it pulls, and each pull that brings something counts as a change.
  if (database.syncUrl) return { mode: "replica", windowMs: settings.replicaSyncIntervalMs };
  const file = filePathOf(database.url);
  return file ? { mode: "commit-marker", file } : { mode: "shared-read", windowMs: settings.listFreshnessWindowMs };
}

/** The one thing the launcher asks of the data: the list's current version, whatever the topology. */
export function createListVersion(freshness: Freshness = freshnessOf(readDatabaseConfig(), readFreshnessConfig())): ListVersion {
  // A failed read means the database is down now: proxy.ts's 503 probe must not reuse an older "available".
  const read = () =>
    readListState().catch((error: unknown) => {
      forgetDatabaseStatus();
      throw error;
    });
  if (freshness.mode === "commit-marker") {
    return createListStateReader({ windowMs: 0, read, changesSeen: knownChangeCount, commitMarker: walIndexProbe(freshness.file).header });
  }
  return createListStateReader({ windowMs: freshness.windowMs, read, changesSeen: knownChangeCount });
}

/**
 * After any commit of this process that changes registrants, before its visitor is answered: count
 * it (so the next request reads the version afresh) and pull it into an embedded replica. The
 * writer calls it for every commit. Never throws.
 */
export async function afterLocalCommit(): Promise<void> {
  localCommits.value = (localCommits.value ?? 0) + 1;
  await replicaSync()?.syncNow();
}

/** How many commits this process's writer has made (it only ever grows). */
export function localCommitCount(): number {
  return localCommits.value ?? 0;
}

/** Grows with every change of the data this process knows of: its own commits, and a replica's pulls that brought something. */
function knownChangeCount(): number {
  return localCommitCount() + (replicaSync()?.changes() ?? 0);
}
