// The statements behind every registration and every cancel: one transaction for a batch, each
// change its own statement. A registration is INSERT … ON CONFLICT DO NOTHING RETURNING id, so a
// duplicate email (the unique index, any letter case: the rules lower-case it) is an empty
// RETURNING for that row alone. A removal is DELETE … WHERE id AND email RETURNING id: both must
// match, so a remembered id whose row is gone (or holds someone else) deletes nothing. BEGIN
// IMMEDIATE takes the write lock up front, so waiting for another connection's lock happens under
// the busy timeout, before anything is written. Runs on the commit thread (db/commit-thread.ts).
import { and, eq } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { Change } from "./commit-protocol";
import { registrants } from "./schema";

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
        const [row] =
          "remove" in change
            ? await tx
                .delete(registrants)
                .where(and(eq(registrants.id, change.remove.id), eq(registrants.email, change.remove.email)))
                .returning({ id: registrants.id })
            : await tx.insert(registrants).values({ name: change.name, email: change.email }).onConflictDoNothing().returning({ id: registrants.id });
        ids.push(row?.id ?? null);
      }
      await beforeCommit();
      return ids;
    },
    { behavior: "immediate" },
  );
}
