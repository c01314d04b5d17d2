// Listing a classic lecture database that db:migrate has not adopted yet: it has no bucket counts and
// no registrant_stats, so pages fall back to OFFSET and count(*). Fine for the handful of rows such
// a database holds; `npm run db:migrate` moves it to the indexed path.
import { count, desc } from "drizzle-orm";
import type { Database } from "../connection";
import { registrants } from "../schema";

export async function listClassicPage(db: Database, page: number, pageSize: number) {
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: registrants.id, name: registrants.name, email: registrants.email })
      .from(registrants)
      .orderBy(desc(registrants.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(registrants),
  ]);
  return { rows, total };
}
