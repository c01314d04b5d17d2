// Removing registrants as an operator (npm run db:registrants): one person by email (an erasure
// request) or every row a filter matches (the clean-up after a flood). Both delete through
// removeRegistrants, in statements of at most REMOVAL_BATCH_SIZE rows: each statement is its own
// transaction, so the write lock is held for one batch at a time and the app's commits slip in
// between. Deletes go straight to the database, not through db/writer: the writer queues many small
// changes from one server's visitors; this is one caller in another process. Every instance's list
// still sees each batch, because the triggers bump the list's version inside whichever transaction
// deletes (docs/decisions/bucket-counts.md).
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, max, sql, type SQL } from "drizzle-orm";
import type { Database } from "../connection";
import { registrants, type Registrant } from "../schema";

/** Rows deleted per statement (and so per transaction). */
export const REMOVAL_BATCH_SIZE = 500;

/** What to remove; every given part must match (AND). */
export type RegistrantFilter = {
  /** This exact email, already normalized (lower-cased, trimmed). */
  email?: string;
  /** The part after the last @ is exactly this, in any letter case (a subdomain is another domain). */
  emailDomain?: string;
  /** SQL LIKE on the email, `\` escaping % _ and itself; letter case ignored for A–Z. */
  emailLike?: string;
  /** SQL LIKE on the name, as emailLike. */
  nameLike?: string;
  /** Ids from `from` to `to`, both included. */
  ids?: { from: number; to: number };
  /** Registered at or after this time. */
  since?: Date;
  /** Registered before this time. */
  until?: Date;
};

/** The ESCAPE character of every LIKE here: `\%` is a percent sign, `\_` an underscore, `\\` a backslash. */
const likeOf = (column: typeof registrants.name | typeof registrants.email, pattern: string) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;

function conditionOf(filter: RegistrantFilter): SQL {
  const parts: SQL[] = [];
  if (filter.email !== undefined) parts.push(eq(registrants.email, filter.email));
  if (filter.emailDomain !== undefined) {
    // A comparison, not a pattern: nothing in the domain can act as a wildcard.
    const suffix = `@${filter.emailDomain.toLowerCase()}`;
    parts.push(sql`lower(substr(${registrants.email}, -length(${suffix}))) = ${suffix}`);
  }
  if (filter.emailLike !== undefined) parts.push(likeOf(registrants.email, filter.emailLike));
  if (filter.nameLike !== undefined) parts.push(likeOf(registrants.name, filter.nameLike));
  if (filter.ids) parts.push(gte(registrants.id, filter.ids.from), lte(registrants.id, filter.ids.to));
  if (filter.since) parts.push(gte(registrants.createdAt, filter.since));
  if (filter.until) parts.push(lt(registrants.createdAt, filter.until));
  // An empty filter would match every row: refused here as well as by the CLI.
  if (parts.length === 0) throw new Error("a removal needs at least one filter");
  return and(...parts)!;
}

export type RemovalPreview = {
  /** Rows that match now. */
  count: number;
  /** Rows in the table now. */
  total: number;
  /** The largest matching id: a removal confirmed on this preview stops there (null: nothing matched). */
  upToId: number | null;
  /** The oldest matching rows, at most 2 × `shown` when they are all there are, else `shown`. */
  first: Registrant[];
  /** The newest matching rows, oldest first; empty when `first` holds every match. */
  last: Registrant[];
};

/** What a filter matches, from one snapshot: the count, and a bounded sample from both ends. */
export async function previewRemoval(db: Database, filter: RegistrantFilter, shown = 10): Promise<RemovalPreview> {
  const where = conditionOf(filter);
  const [[summary], [all], first, newest] = await db.batch([
    db.select({ count: count(), upToId: max(registrants.id) }).from(registrants).where(where),
    db.select({ total: count() }).from(registrants),
    db.select().from(registrants).where(where).orderBy(asc(registrants.id)).limit(2 * shown),
    db.select().from(registrants).where(where).orderBy(desc(registrants.id)).limit(shown),
  ]);
  const isWhole = summary.count <= 2 * shown;
  return {
    count: summary.count,
    total: all.total,
    upToId: summary.upToId,
    first: isWhole ? first : first.slice(0, shown),
    last: isWhole ? [] : newest.reverse(),
  };
}

/**
 * Deletes every row the filter matches (with an id up to `upToId`, when given: a row registered
 * after the operator's preview is not one they confirmed), oldest first, `batchSize` rows per
 * statement. `onBatch` hears each batch's removed rows and the running count. Returns how many were removed.
 */
export async function removeRegistrants(
  db: Database,
  filter: RegistrantFilter,
  { upToId, batchSize = REMOVAL_BATCH_SIZE, onBatch }: { upToId?: number; batchSize?: number; onBatch?: (rows: Registrant[], removed: number) => void } = {},
): Promise<number> {
  const where = conditionOf(filter);
  let after = Number.MIN_SAFE_INTEGER;
  let removed = 0;
  for (;;) {
    // Keyset: each batch starts past the last one, so a long clean-up never rescans what it passed.
    const batch = db
      .select({ id: registrants.id })
      .from(registrants)
      .where(and(where, gt(registrants.id, after), upToId === undefined ? undefined : lte(registrants.id, upToId)))
      .orderBy(asc(registrants.id))
      .limit(batchSize);
    const rows = await db.delete(registrants).where(inArray(registrants.id, batch)).returning();
    if (rows.length === 0) return removed;
    removed += rows.length;
    after = Math.max(...rows.map((row) => row.id));
    onBatch?.(rows, removed);
    if (rows.length < batchSize) return removed;
  }
}

/** Deletes the registrant with this (already normalized) email; the removed row, or null when there was none. */
export async function removeRegistrantByEmail(db: Database, email: string): Promise<Registrant | null> {
  const removed: Registrant[] = [];
  await removeRegistrants(db, { email }, { onBatch: (rows) => removed.push(...rows) });
  return removed[0] ?? null;
}
