// How the database answers a real query on the registrants table, within a deadline a load
// balancer or Docker's HEALTHCHECK can wait for: a hung connection turns into "unavailable", not
// into a hung probe.
import { sql } from "drizzle-orm";
import { getDb, isMissingTable } from "../connection";
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
