// GET /api/health: for load balancers, orchestrators and the image's HEALTHCHECK. No session, never
// cached; 200 only when the database answers (db/health.ts), else 503 so traffic goes elsewhere.
import { connection } from "next/server";
import { probeDatabase } from "@/db/health";
import { logEvent } from "@/lib/log";

const NO_STORE = { "Cache-Control": "no-store" };

export async function GET() {
  await connection(); // rendered per request, never prerendered at build time
  const health = await probeDatabase();
  // `node`: the runtime actually serving, so an operator (and the e2e suite) can see it is the pinned one.
  const node = process.versions.node;
  if (health.ok) return Response.json({ status: "ok", db: "ok", node }, { headers: NO_STORE });
  logEvent("warn", "health.failed", { reason: health.reason, error: health.error });
  return Response.json({ status: "error", db: "unavailable", node }, { status: 503, headers: NO_STORE });
}
