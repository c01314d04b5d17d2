// GET /api/health: for load balancers, orchestrators and the image's HEALTHCHECK. No session, never
// cached; 200 only when the database answers, registrations can be committed and an embedded
// replica's pulls succeed (db/health/index.ts), else 503 so traffic goes elsewhere. Anyone gets the
// status alone; the details (runtime, writer, link, replica) only a request that carries
// HEALTH_DETAILS_TOKEN (docs/operations.md "Health").
import { connection } from "next/server";
import { headers } from "next/headers";
import { checkHealth } from "@/db/health";
import { writerHealth } from "@/db/writer";
import { readHealthConfig } from "@/lib/config";
import { carriesBearerToken } from "@/lib/http/bearer-token";
import { rateLimitStats } from "@/lib/http/rate-limited";
import { logEvent } from "@/lib/log";

const NO_STORE = { "Cache-Control": "no-store" };

// Read once: a load balancer asks every few seconds. The launcher checked it at start (server/serve.ts).
let healthConfig: ReturnType<typeof readHealthConfig> | undefined;

/** True when the request carries the configured token (compared in constant time). */
function mayReadDetails(authorization: string | null): boolean {
  return carriesBearerToken(authorization, (healthConfig ??= readHealthConfig()).detailsToken);
}

export async function GET() {
  await connection(); // rendered per request, never prerendered at build time
  const report = await checkHealth(writerHealth());
  if (report.failure) logEvent("warn", "health.failed", { reason: report.failure.reason, error: report.failure.error });
  // rateLimits: what the launcher's per-client limits refused (absent under `next dev`, which has no launcher).
  const details = { ...report.details, rateLimits: rateLimitStats() };
  const body = mayReadDetails((await headers()).get("authorization")) ? { status: report.status, ...details } : { status: report.status };
  return Response.json(body, { status: report.ok ? 200 : 503, headers: NO_STORE });
}
