// Can the registrants table be read right now? proxy.ts asks before rendering `/`, because a page
// cannot choose its own HTTP status: this is how a visitor (and a crawler or load balancer) gets a
// 503 while the database is down. One probe serves every request for PROBE_TTL_MS.
import { sql } from "drizzle-orm";
import { getDb } from "./index";
import { isMissingTable } from "./errors";

export type DatabaseStatus = "available" | "unavailable" | "schema-missing";

const PROBE_TTL_MS = 1_000;

const holder = globalThis as typeof globalThis & {
  __registrantsProbe?: { at: number; status: Promise<DatabaseStatus> };
};

async function probe(): Promise<DatabaseStatus> {
  try {
    const db = await getDb();
    await db.run(sql`SELECT 1 FROM registrants LIMIT 1`);
    return "available";
  } catch (error) {
    return isMissingTable(error) ? "schema-missing" : "unavailable";
  }
}

export function databaseStatus(): Promise<DatabaseStatus> {
  const cached = holder.__registrantsProbe;
  if (cached && Date.now() - cached.at < PROBE_TTL_MS) return cached.status;
  const fresh = { at: Date.now(), status: probe() };
  holder.__registrantsProbe = fresh;
  return fresh.status;
}
