// What an operator does to the registrants (npm run db:registrants): read every row in id order a
// page at a time (keyset: `id > last`, so page 2,000 costs what page 1 costs and nothing is held
// but one page), and remove one person by email (an erasure request). Deletes here go straight to
// the database: the CLI is not a server, so there is no request for a busy wait to hold up.
import { asc, eq, gt } from "drizzle-orm";
import type { Database } from "../connection";
import { registrants, type Registrant } from "../schema";

export type ExportRow = Pick<Registrant, "id" | "name" | "email" | "createdAt">;

/** Every registrant, oldest first, fetched `pageSize` rows at a time. */
export async function* everyRegistrant(db: Database, pageSize = 1_000): AsyncGenerator<ExportRow[]> {
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await db
      .select({ id: registrants.id, name: registrants.name, email: registrants.email, createdAt: registrants.createdAt })
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
    .returning({ id: registrants.id, name: registrants.name, email: registrants.email, createdAt: registrants.createdAt });
  return removed ?? null;
}
