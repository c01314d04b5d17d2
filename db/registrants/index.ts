// Reads of the registrants table: pages call these, never the query builder (changes go through
// db/writer). Newest first is highest id first; page N starts where the bucket counts say
// (docs/decisions/bucket-counts.md), so a deep page costs about what page 1 does.
import { desc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { PAGE_SIZE } from "../../lib/registrants/list-url";
import { getDb, type Database } from "../connection";
import { listClassicPage } from "./classic-page";
import { isMissingTable, SchemaMissingError } from "../connection";
import { BUCKET_BITS, registrantBuckets, registrants, registrantStats } from "../schema";


export type RegistrantRow = { id: number; name: string; email: string };
export type RegistrantPage = {
  rows: RegistrantRow[];
  /** The page asked for (1-based), clamped to at least 1. */
  page: number;
  /** Pages that hold rows; at least 1 so an empty table still has a page 1. */
  pageCount: number;
  total: number;
};

type PageData = Pick<RegistrantPage, "rows" | "total">;

/**
 * The id of the newest row with `skipped` newer rows (NULL past the end). Raw SQL inside, for the
 * window function and the inner alias (the outer query reads `registrants` too).
 */
function pageStartId(skipped: number): SQL {
  const bits = sql.raw(String(BUCKET_BITS));
  return sql`(WITH walk AS (
      SELECT ${registrantBuckets.bucket} AS bucket, ${registrantBuckets.count} AS n,
        sum(${registrantBuckets.count}) OVER (ORDER BY ${registrantBuckets.bucket} DESC ROWS UNBOUNDED PRECEDING) AS upto
      FROM ${registrantBuckets}),
    start AS (SELECT bucket, ${skipped} - (upto - n) AS skip FROM walk WHERE upto > ${skipped} ORDER BY bucket DESC LIMIT 1)
    SELECT page_start.id FROM registrants AS page_start, start
    WHERE page_start.id >= (start.bucket << ${bits}) AND page_start.id < ((start.bucket + 1) << ${bits})
    ORDER BY page_start.id DESC LIMIT 1 OFFSET coalesce((SELECT skip FROM start), 0))`;
}

async function readPage(db: Database, page: number): Promise<PageData> {
  const skipped = (page - 1) * PAGE_SIZE;
  const rows = db.select({ id: registrants.id, name: registrants.name, email: registrants.email }).from(registrants);
  // One read transaction (batch), so the total and the rows come from the same snapshot.
  const [stats, pageRows] = await db.batch([
    db.select({ total: registrantStats.total }).from(registrantStats).where(eq(registrantStats.id, 1)),
    (skipped === 0 ? rows : rows.where(lte(registrants.id, pageStartId(skipped)))).orderBy(desc(registrants.id)).limit(PAGE_SIZE),
  ]);
  return { rows: pageRows, total: stats[0]?.total ?? 0 };
}

/** One page of registrants, newest first, with the total count for the pager. */
export async function listRegistrants(page: number): Promise<RegistrantPage> {
  return listRegistrantsOf(await getDb(), page);
}

/** listRegistrants on a given database (the operator's CLI opens its own). */
export async function listRegistrantsOf(db: Database, page: number): Promise<RegistrantPage> {
  const safePage = Number.isSafeInteger(page) && page > 0 ? page : 1;
  let result: PageData;
  try {
    result = await readPage(db, safePage);
  } catch (error) {
    // A classic database not yet adopted by db:migrate has no registrant_stats table.
    if (!isMissingTable(error)) throw error;
    try {
      result = await listClassicPage(db, safePage, PAGE_SIZE);
    } catch (classicError) {
      throw isMissingTable(classicError) ? new SchemaMissingError(classicError) : classicError;
    }
  }
  const { rows, total } = result;
  return { rows, page: safePage, total, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** The registrations with these ids that still exist, newest first (a browser's own, for /register). */
export async function findRegistrants(ids: readonly number[]): Promise<RegistrantRow[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  return db
    .select({ id: registrants.id, name: registrants.name, email: registrants.email })
    .from(registrants)
    .where(inArray(registrants.id, [...ids]))
    .orderBy(desc(registrants.id));
}
