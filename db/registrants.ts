// The one door to the registrants table: pages and actions call these, never the query builder.
// A page is found by keyset on `pos` (the rank by id kept by migration 0001's triggers) and the
// total is read from registrant_stats, so page 2,000 of 100,000 rows costs what page 1 costs.
import { desc, eq, lte, sql } from "drizzle-orm";
import { getDb } from "./index";
import { listClassicPage } from "./classic-list";
import { isMissingTable, SchemaMissingError } from "./errors";
import { registrants, registrantStats } from "./schema";

export { insertRegistrant, registrationWriterHealth, type InsertResult } from "./registrant-writer";

export const PAGE_SIZE = 50;

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

async function readPage(page: number): Promise<PageData> {
  const db = await getDb();
  // Rows newer than the page start have pos above (total - skipped); one read transaction (batch)
  // so the total and the rows come from the same snapshot.
  const skipped = (page - 1) * PAGE_SIZE;
  const [stats, rows] = await db.batch([
    db.select({ total: registrantStats.total }).from(registrantStats).where(eq(registrantStats.id, 1)),
    db
      .select({ id: registrants.id, name: registrants.name, email: registrants.email })
      .from(registrants)
      .where(lte(registrants.pos, sql`(SELECT ${registrantStats.total} FROM ${registrantStats} WHERE ${registrantStats.id} = 1) - ${skipped}`))
      .orderBy(desc(registrants.pos))
      .limit(PAGE_SIZE),
  ]);
  return { rows, total: stats[0]?.total ?? 0 };
}

/** One page of registrants, newest first, with the total count for the pager. */
export async function listRegistrants(page: number): Promise<RegistrantPage> {
  const safePage = Number.isSafeInteger(page) && page > 0 ? page : 1;
  let result: PageData;
  try {
    result = await readPage(safePage);
  } catch (error) {
    // A classic database not yet adopted by db:migrate has no registrant_stats table.
    if (!isMissingTable(error)) throw error;
    try {
      result = await listClassicPage(await getDb(), safePage, PAGE_SIZE);
    } catch (classicError) {
      throw isMissingTable(classicError) ? new SchemaMissingError(classicError) : classicError;
    }
  }
  const { rows, total } = result;
  return { rows, page: safePage, total, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}
