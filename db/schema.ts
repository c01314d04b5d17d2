// The registrants table. id/name/email keep the classic demo's shape, so a database created with
// the lecture's SQL still reads. `registrant_stats` (row count, data version) and
// `registrant_buckets` (rows per 1,024 ids) are kept exact by triggers in the migrations: a
// migration that rebuilds `registrants` must re-create them (docs/operations.md "Changing the
// schema"; docs/decisions/bucket-counts.md). AUTOINCREMENT: a cancelled registration's id is never
// handed out again, so a browser's sealed memory of it can never match someone else's row.
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "../lib/registrants/limits";

export const registrants = sqliteTable(
  "registrants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name", { length: NAME_MAX_LENGTH }).notNull(),
    email: text("email", { length: EMAIL_MAX_LENGTH }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp" })
      .notNull()
      .default(sql`(unixepoch())`),
  },
  (table) => [uniqueIndex("registrants_email_unique").on(table.email)],
);

/** One row (id 1): how many registrants there are, and a version bumped by every change to them. */
export const registrantStats = sqliteTable("registrant_stats", {
  id: integer("id").primaryKey(),
  total: integer("total").notNull().default(0),
  version: integer("version").notNull().default(0),
});

/** Ids are grouped in buckets of 2^BUCKET_BITS (bucket = id >> BUCKET_BITS, as the triggers write it). */
export const BUCKET_BITS = 10;

/** Rows per id bucket, kept by the triggers of migration 0002 whoever writes: what a page's start is found from. */
export const registrantBuckets = sqliteTable("registrant_buckets", {
  bucket: integer("bucket").primaryKey(),
  count: integer("count").notNull(),
});

export type Registrant = typeof registrants.$inferSelect;
export type NewRegistrant = typeof registrants.$inferInsert;
