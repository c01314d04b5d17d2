// The registrants' data version: a number the triggers of migration 0001 bump in every
// transaction that changes the table, whichever process or tool commits it. Cached pages remember
// the version they were rendered from; lib/page-cache-handler.mjs compares it on every hit, so a
// row written by another server process (or by a script) shows on every instance's next request.
import { eq } from "drizzle-orm";
import { getDb } from "./index";
import { isMissingTable } from "./errors";
import { registrantStats } from "./schema";

/** The current data version, or null when it cannot be known (never migrated, unreachable). */
export async function readDataVersion(): Promise<number | null> {
  try {
    const db = await getDb();
    const [row] = await db.select({ version: registrantStats.version }).from(registrantStats).where(eq(registrantStats.id, 1));
    return row ? row.version : null;
  } catch (error) {
    if (isMissingTable(error)) return null;
    throw error;
  }
}

// The cache handler is loaded by Next outside the app bundle and cannot import TypeScript, so the
// app hands it this function through a well-known global once any data module has loaded.
export const DATA_VERSION_HOOK = Symbol.for("lecture.registrants.dataVersion");
(globalThis as Record<symbol, unknown>)[DATA_VERSION_HOOK] = readDataVersion;
