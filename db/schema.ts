// The registrants table. id/name/email keep the classic demo's shape, so a database created with
// the lecture's SQL still reads; created_at and the unique email index came with migration 0000.
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "../lib/registrant-rules";

export const registrants = sqliteTable(
  "registrants",
  {
    id: integer("id").primaryKey(),
    name: text("name", { length: NAME_MAX_LENGTH }).notNull(),
    email: text("email", { length: EMAIL_MAX_LENGTH }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp" })
      .notNull()
      .default(sql`(unixepoch())`),
  },
  (table) => [uniqueIndex("registrants_email_unique").on(table.email)],
);

export type Registrant = typeof registrants.$inferSelect;
export type NewRegistrant = typeof registrants.$inferInsert;
