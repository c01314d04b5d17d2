// GET /api/health: for load balancers, orchestrators and the image's HEALTHCHECK. No session, never
// cached; 200 only when the database answers (db/health.ts) and registrations can be committed (the
// writer is not down: db/commit-worker.ts), else 503 so traffic goes elsewhere.
import { connection } from "next/server";
import { probeDatabase } from "@/db/health";
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
  if (health.ok && state !== "down") return Response.json({ status: "ok", db: "ok", node, ...writer }, { headers: NO_STORE });
  if (health.ok) {
    logEvent("warn", "health.failed", { reason: "writer-down", writerRestarts: restarts });
    return Response.json({ status: "error", db: "ok", node, ...writer }, { status: 503, headers: NO_STORE });
  }
  logEvent("warn", "health.failed", { reason: health.reason, error: health.error });
  return Response.json({ status: "error", db: "unavailable", node, ...writer }, { status: 503, headers: NO_STORE });
}
