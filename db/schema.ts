// The registrants table. id/name/email keep the classic demo's shape, so a database created with
// the lecture's SQL still reads; created_at and the unique email index came with migration 0000.
// Migration 0001 added what lets a page of the list be found without scanning the table: `pos`
// (1 = oldest, kept dense by triggers, so page N is an index range) and `registrant_stats` (the
// row count and a data version, kept by the same triggers in the writing transaction).
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "../lib/registrants/rules";

export const registrants = sqliteTable(
  "registrants",
  {
    id: integer("id").primaryKey(),
    name: text("name", { length: NAME_MAX_LENGTH }).notNull(),
    email: text("email", { length: EMAIL_MAX_LENGTH }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp" })
      .notNull()
      .default(sql`(unixepoch())`),
    /** Rank by id, 1 = oldest. Maintained by the triggers of migration 0001; never written by the app. */
    pos: integer("pos").notNull().default(0),
  },
  (table) => [uniqueIndex("registrants_email_unique").on(table.email), index("registrants_pos_idx").on(table.pos)],
);

/** One row (id 1): how many registrants there are, and a version bumped by every change to them. */
export const registrantStats = sqliteTable("registrant_stats", {
  id: integer("id").primaryKey(),
  total: integer("total").notNull().default(0),
  version: integer("version").notNull().default(0),
});

export type Registrant = typeof registrants.$inferSelect;
export type NewRegistrant = typeof registrants.$inferInsert;
