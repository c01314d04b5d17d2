// The statement behind every registration: one transaction for a batch, each row its own INSERT …
// ON CONFLICT DO NOTHING RETURNING id, so a duplicate email (the unique index, any letter case: the
// rules lower-case it) is an empty RETURNING for that row alone. BEGIN IMMEDIATE takes the write
// lock up front, so waiting for another connection's lock happens under the busy timeout, before
// any row is written. Runs on the commit thread (db/commit-thread.ts).
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { registrants, type NewRegistrant } from "./schema";

/** Inserts the rows in one transaction; each gets its new id, or null for an email already stored. */
export async function insertBatch<TSchema extends Record<string, unknown>>(
  db: LibSQLDatabase<TSchema>,
  rows: Pick<NewRegistrant, "name" | "email">[],
  beforeCommit: () => Promise<void> = async () => {},
): Promise<(number | null)[]> {
  return db.transaction(
    async (tx) => {
      const ids: (number | null)[] = [];
      for (const { name, email } of rows) {
        const [inserted] = await tx.insert(registrants).values({ name, email }).onConflictDoNothing().returning({ id: registrants.id });
        ids.push(inserted?.id ?? null);
      }
      await beforeCommit();
      return ids;
    },
    { behavior: "immediate" },
  );
}

/**
 * The same rows and answers in one round trip, for a remote database (sqld, Turso): the statements
 * go as one batch, which the server runs as one transaction (all or nothing), instead of one network
 * round trip per INSERT plus BEGIN and COMMIT. `beforeSend` is where the fault hook runs: nothing is
 * on the server yet.
 */
export async function insertBatchInOneRoundTrip<TSchema extends Record<string, unknown>>(
  db: LibSQLDatabase<TSchema>,
  rows: Pick<NewRegistrant, "name" | "email">[],
  beforeSend: () => Promise<void> = async () => {},
): Promise<(number | null)[]> {
  const [first, ...rest] = rows.map(({ name, email }) => db.insert(registrants).values({ name, email }).onConflictDoNothing().returning({ id: registrants.id }));
  if (!first) return [];
  await beforeSend();
  const results = await db.batch([first, ...rest]);
  return results.map(([inserted]) => inserted?.id ?? null);
}
