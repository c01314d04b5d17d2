// GET /api/health's answer, and proxy.ts's "can the list be read?": the database answers a real
// query (probe.ts), registrations can be committed (the writer's health, passed in), and an
// embedded replica's pulls succeed.
import { replicaSync } from "../connection";
import type { ReplicaHealth } from "../connection";
import type { WriterHealth } from "../writer";
import { probeDatabase } from "./probe";

export { databaseStatus, forgetDatabaseStatus, type DatabaseStatus } from "./availability";
export { HEALTH_TIMEOUT_MS, probeDatabase, type DatabaseHealth } from "./probe";

/** An embedded replica's pulls from its primary (db/connection/replica-sync.ts), or null when DATABASE_URL is not a replica. */
export function replicaHealth(): ReplicaHealth | null {
  return replicaSync()?.health() ?? null;
}

export type HealthReport = {
  ok: boolean;
  /** The database answered the probe's real query (the rest of `ok`: the writer, the replica). */
  databaseAnswers: boolean;
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
  if (!database.ok) return { ok: false, databaseAnswers: false, status: "error", details, failure: { reason: database.reason, error: database.error } };
  if (writer.state === "down") return { ok: false, databaseAnswers: true, status: "error", details, failure: { reason: "writer-down" } };
  if (replica?.state === "failing") {
    return { ok: false, databaseAnswers: true, status: "error", details, failure: { reason: "replica-sync-failing", error: replica.error } };
  }
  return { ok: true, databaseAnswers: true, status: "ok", details };
}
