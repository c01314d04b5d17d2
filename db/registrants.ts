// The one door to the registrants table: pages and actions call these, never the query builder.
import { count, desc } from "drizzle-orm";
import { registrantSchema, type RegistrantInput } from "../lib/registrant-rules";
import { getDb } from "./index";
import { isMissingTable, isUniqueViolation, SchemaMissingError } from "./errors";
import { registrants } from "./schema";

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

async function translated<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw isMissingTable(error) ? new SchemaMissingError(error) : error;
  }
}

/** One page of registrants, newest first, with the total count for the pager. */
export async function listRegistrants(page: number): Promise<RegistrantPage> {
  const db = await getDb();
  const safePage = Number.isSafeInteger(page) && page > 0 ? page : 1;
  const [rows, [{ total }]] = await translated(() =>
    Promise.all([
      db
        .select({ id: registrants.id, name: registrants.name, email: registrants.email })
        .from(registrants)
        .orderBy(desc(registrants.id))
        .limit(PAGE_SIZE)
        .offset((safePage - 1) * PAGE_SIZE),
      db.select({ total: count() }).from(registrants),
    ]),
  );
  return { rows, page: safePage, total, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export type InsertResult = { ok: true; id: number } | { ok: false; reason: "duplicate-email" };

/**
 * Stores a validated registrant. A duplicate email (the unique index, so two simultaneous submits
 * cannot both get in) is an answer, not an exception; any other failure throws.
 */
export async function insertRegistrant(input: RegistrantInput): Promise<InsertResult> {
  // The rules again, at the door: a caller that skipped them must not store what would not read
  // back as sent (the driver silently cuts text at a NUL byte).
  const valid = registrantSchema.safeParse(input);
  if (!valid.success) throw new TypeError(`insertRegistrant needs a valid registrant: ${valid.error.issues.map((i) => i.message).join(" ")}`);
  const db = await getDb();
  try {
    const [row] = await db
      .insert(registrants)
      .values({ name: valid.data.name, email: valid.data.email })
      .returning({ id: registrants.id });
    return { ok: true, id: row.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "duplicate-email" };
    if (isMissingTable(error)) throw new SchemaMissingError(error);
    throw error;
  }
}
