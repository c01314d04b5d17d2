// Can the registrants table be read right now? proxy.ts asks before rendering `/`, because a page
// cannot choose its own HTTP status: this is how a visitor (and a crawler or load balancer) gets a
// 503 while the database is down. One probe (the health check's, so a hung database answers
// "unavailable" within its timeout instead of hanging the page) serves every request for PROBE_TTL_MS.
import { processWide } from "../../lib/process-wide";
import { probeDatabase } from "./probe";

export type DatabaseStatus = "available" | "unavailable" | "schema-missing";

const PROBE_TTL_MS = 1_000;

const shared = processWide<{ at: number; status: Promise<DatabaseStatus> }>("availability");

async function probe(): Promise<DatabaseStatus> {
  const health = await probeDatabase();
  if (health.ok) return "available";
  return health.reason === "schema-missing" ? "schema-missing" : "unavailable";
}

/**
 * Drops the shared answer. Called when a read of the list's version has just failed (db/list-version), so that
 * the next `/` probes afresh instead of trusting an "available" up to a second old: otherwise
 * the requests of the first second of an outage would be rendered, fail in the page and answer 500.
 */
export function forgetDatabaseStatus(): void {
  shared.value = undefined;
}

export function databaseStatus(): Promise<DatabaseStatus> {
  const cached = shared.value;
  if (cached && Date.now() - cached.at < PROBE_TTL_MS) return cached.status;
  const fresh = { at: Date.now(), status: probe() };
  shared.value = fresh;
  return fresh.status;
}
