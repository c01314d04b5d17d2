// What an operator reads of the registrants (npm run db:registrants export): every row in id order a
// page at a time (keyset: `id > last`, so page 2,000 costs what page 1 costs and nothing is held
// but one page). Removals: ./registrant-removal.ts.
import { asc, gt } from "drizzle-orm";
import type { Database } from "../connection";
import { registrants, type Registrant } from "../schema";

/** A whole row: every column, so a new column is exported without a change here. */
export type ExportRow = Registrant;

/** Every registrant, oldest first, fetched `pageSize` rows at a time. */
export async function* everyRegistrant(db: Database, pageSize = 1_000): AsyncGenerator<ExportRow[]> {
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await db
      .select()
      .from(registrants)
      .where(gt(registrants.id, after))
      .orderBy(asc(registrants.id))
      .limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.id;
  }
}
