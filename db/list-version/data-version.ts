// The list's data version and row count: one row of registrant_stats, kept by triggers in every
// transaction that changes registrants, whichever process or tool commits it.
import { eq } from "drizzle-orm";
import { getDb, type Database } from "../connection";
import { isMissingTable } from "../connection";
import { registrantStats } from "../schema";

export type ListState = { version: number; total: number };

// Built once per connection: the read runs on every cached request, so it skips the query builder.
const prepared = new WeakMap<Database, () => Promise<ListState | undefined>>();

function statementFor(db: Database): () => Promise<ListState | undefined> {
  let run = prepared.get(db);
  if (!run) {
    const query = db
      .select({ version: registrantStats.version, total: registrantStats.total })
      .from(registrantStats)
      .where(eq(registrantStats.id, 1))
      .prepare();
    run = () => query.get();
    prepared.set(db, run);
  }
  return run;
}

/** The current data version and row count, or null when they cannot be known (never migrated). Throws when the database cannot be read. */
export async function readListState(): Promise<ListState | null> {
  try {
    return (await statementFor(await getDb())()) ?? null;
  } catch (error) {
    if (isMissingTable(error)) return null;
    throw error;
  }
}
