// The database half of GET /api/health: does the shared client answer a real query on the
// registrants table quickly? A load balancer or Docker's HEALTHCHECK waits only a few seconds,
// so a hung connection must turn into "unavailable" rather than into a hung probe.
import { sql } from "drizzle-orm";
import { isMissingTable } from "../connection/errors";
import { getDb, replicaSync } from "../connection";
import type { WriterHealth } from "../writer/group-commit";
import type { ReplicaHealth } from "../connection/replica-sync";
import { registrants } from "../schema";

export const HEALTH_TIMEOUT_MS = 1_500;

export type DatabaseHealth = { ok: true } | { ok: false; reason: "timeout" | "schema-missing" | "unavailable"; error?: unknown };

const TIMED_OUT = Symbol("timed out");

/** Reads one row's worth from registrants (so an unmigrated database is not healthy), within `timeoutMs`. */
export async function probeDatabase(timeoutMs = HEALTH_TIMEOUT_MS): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  const query = (async () => {
    const db = await getDb();
    await db.select({ one: sql<number>`1` }).from(registrants).limit(1);
  })();
  try {
    if ((await Promise.race([query, deadline])) === TIMED_OUT) {
      query.catch(() => {}); // it may still fail later; nobody is waiting for it any more
      return { ok: false, reason: "timeout" };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: isMissingTable(error) ? "schema-missing" : "unavailable", error };
  } finally {
    clearTimeout(timer);
  }
}

/** An embedded replica's pulls from its primary (db/connection/replica-sync.ts), or null when DATABASE_URL is not a replica. */
export function replicaHealth(): ReplicaHealth | null {
  return replicaSync()?.health() ?? null;
}

export type HealthReport = {
  ok: boolean;
  /** What anyone may see: the status a load balancer needs. */
  status: "ok" | "error";
  /** What only an operator may see (lib/config.ts readHealthConfig): the runtime, the writer, the link, the replica. */
  details: Record<string, unknown>;
  /** Why it is not ok, for the log. */
  failure?: { reason: string; error?: unknown };
};

/**
 * The whole health check: ok when the database answers a real query, registrations can be committed
 * (the writer is not down) and an embedded replica's pulls succeed.
 */
export async function checkHealth(writer: WriterHealth): Promise<HealthReport> {
  const database = await probeDatabase();
  const replica = replicaHealth();
  // `node`: the runtime actually serving, so an operator (and the e2e suite) can see it is the pinned one.
  const details: Record<string, unknown> = {
    db: database.ok ? "ok" : "unavailable",
    node: process.versions.node,
    // "ok", "restarting" (a replacement thread is starting) or "down" (registrations fail at once until its next attempt).
    writer: writer.state,
    writerQueue: writer.queued,
    writerCommitting: writer.committing,
    writerRestarts: writer.restarts,
    // Remote databases: "down" while unreachable (requests fail fast; a probe a second asks again).
    ...(writer.link && { link: writer.link.state, linkDownForMs: writer.link.downForMs }),
    // Embedded replicas: "failing" while pulls fail, so the list may be older than promised.
    ...(replica && { replica: replica.state, replicaLastSyncAgeMs: replica.lastSyncAgeMs, replicaFailures: replica.failures }),
  };
  if (!database.ok) return { ok: false, status: "error", details, failure: { reason: database.reason, error: database.error } };
  if (writer.state === "down") return { ok: false, status: "error", details, failure: { reason: "writer-down" } };
  if (replica?.state === "failing") return { ok: false, status: "error", details, failure: { reason: "replica-sync-failing", error: replica.error } };
  return { ok: true, status: "ok", details };
}
