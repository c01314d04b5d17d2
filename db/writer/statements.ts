// The statements behind every registration and every cancel: one transaction for a batch, each
// change its own statement. A registration is INSERT … ON CONFLICT DO NOTHING RETURNING id, so a
// duplicate email (the unique index, any letter case: the rules lower-case it) is an empty
// RETURNING for that row alone. A removal is DELETE … WHERE id AND email RETURNING id: both must
// match, so a remembered id whose row is gone (or holds someone else) deletes nothing. BEGIN
// IMMEDIATE takes the write lock up front, so waiting for another connection's lock happens under
// the busy timeout, before anything is written. On a remote database the same statements go as one
// batch instead (one round trip). Runs on the commit thread (db/writer/commit-thread.ts).
import { and, eq } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { ResultSet } from "@libsql/client";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { Change } from "./commit-protocol";
import { registrants } from "../schema";

/** The one statement of a change: its RETURNING id is the row's id, or empty (duplicate email; nothing to remove). */
function statementOf<TSchema extends Record<string, unknown>>(db: BaseSQLiteDatabase<"async", ResultSet, TSchema>, change: Change) {
  return "remove" in change
    ? db
        .delete(registrants)
        .where(and(eq(registrants.id, change.remove.id), eq(registrants.email, change.remove.email)))
        .returning({ id: registrants.id })
    : db.insert(registrants).values(change).onConflictDoNothing().returning({ id: registrants.id });
}

/** Applies the changes in one transaction; each gets its row's id, or null (duplicate email; nothing to remove). */
export async function commitChanges<TSchema extends Record<string, unknown>>(
  db: LibSQLDatabase<TSchema>,
  changes: Change[],
  beforeCommit: () => Promise<void> = async () => {},
): Promise<(number | null)[]> {
  return db.transaction(
    async (tx) => {
      const ids: (number | null)[] = [];
      for (const change of changes) {
        const [row] = await statementOf(tx, change);
        ids.push(row?.id ?? null);
      }
      await beforeCommit();
      return ids;
    },
    { behavior: "immediate" },
  );
}

/**
 * The same changes and answers in one round trip, for a remote database (sqld, Turso): the statements
 * go as one batch, which the server runs as one transaction (all or nothing), instead of one network
 * round trip per statement plus BEGIN and COMMIT. `beforeSend` is where the fault hook runs: nothing
 * is on the server yet.
 */
export async function commitChangesInOneRoundTrip<TSchema extends Record<string, unknown>>(
  db: LibSQLDatabase<TSchema>,
  changes: Change[],
  beforeSend: () => Promise<void> = async () => {},
): Promise<(number | null)[]> {
  const [first, ...rest] = changes.map((change) => statementOf(db, change));
  if (!first) return [];
  await beforeSend();
  const results = await db.batch([first, ...rest]);
  return results.map(([row]) => row?.id ?? null);
}
