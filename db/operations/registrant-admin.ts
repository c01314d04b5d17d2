// What an operator does to the registrants (npm run db:registrants): read every row in id order a
// page at a time (keyset: `id > last`, so page 2,000 costs what page 1 costs and nothing is held
// but one page), and remove one person by email (an erasure request). Deletes here go straight to
// the database: the CLI is not a server, so there is no request for a busy wait to hold up.
import { asc, eq, gt } from "drizzle-orm";
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

/** Deletes the registrant with this (already normalized) email; the removed row, or null when there was none. */
export async function removeRegistrantByEmail(db: Database, email: string): Promise<ExportRow | null> {
  const [removed] = await db
    .delete(registrants)
    .where(eq(registrants.email, email))
    .returning();
  return removed ?? null;
}
