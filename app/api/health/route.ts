// GET /api/health: for load balancers, orchestrators and the image's HEALTHCHECK. No session, never
// cached; 200 only when the database answers (db/health.ts) and registrations can be committed (the
// writer is not down: db/commit-worker.ts), else 503 so traffic goes elsewhere.
import { connection } from "next/server";
import { probeDatabase, replicaHealth } from "@/db/health";
import { registrationWriterHealth } from "@/db/registrants";
import { logEvent } from "@/lib/log";

const NO_STORE = { "Cache-Control": "no-store" };

export async function GET() {
  await connection(); // rendered per request, never prerendered at build time
  const health = await probeDatabase();
  // `node`: the runtime actually serving, so an operator (and the e2e suite) can see it is the pinned one.
  const node = process.versions.node;
  // `writer`: "ok", "restarting" (a replacement thread is starting; registrations wait for it) or
  // "down" (registrations fail at once until its next attempt).
  const { state, queued, committing, restarts } = registrationWriterHealth();
  const writer = { writer: state, writerQueue: queued, writerCommitting: committing, writerRestarts: restarts };
  // `replica` (embedded replicas only): "failing" while pulls from the primary fail (they are retried),
  // so the list may be older than the promised bound: 503 until a pull succeeds.
  const replica = replicaHealth();
  const details = { node, ...writer, ...(replica && { replica: replica.state, replicaLastSyncAgeMs: replica.lastSyncAgeMs, replicaFailures: replica.failures }) };
  if (health.ok && state !== "down" && replica?.state !== "failing") return Response.json({ status: "ok", db: "ok", ...details }, { headers: NO_STORE });
  if (health.ok) {
    const reason = state === "down" ? "writer-down" : "replica-sync-failing";
    logEvent("warn", "health.failed", { reason, writerRestarts: restarts, replicaError: replica?.error });
    return Response.json({ status: "error", db: "ok", ...details }, { status: 503, headers: NO_STORE });
  }
  logEvent("warn", "health.failed", { reason: health.reason, error: health.error });
  return Response.json({ status: "error", db: "unavailable", ...details }, { status: 503, headers: NO_STORE });
}
