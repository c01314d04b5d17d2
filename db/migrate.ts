// Applies the committed SQL migrations (db/migrations, made by `drizzle-kit generate`) that a
// database has not seen yet. drizzle records each applied migration in __drizzle_migrations, so
// running it again is a no-op. Used by the db:migrate CLI, `npm run dev` and the tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { putBackClassicTable, setAsideClassicTable } from "./adopt-classic";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies pending migrations; a classic lecture database is adopted on the way (db/adopt-classic.ts). */
export async function applyMigrations(client: Client, migrationsFolder = MIGRATIONS_FOLDER): Promise<{ adoptedRows: number }> {
  const restoreClassicRows = await setAsideClassicTable(client);
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } catch (error) {
    if (restoreClassicRows) await putBackClassicTable(client);
    throw error;
  }
  return { adoptedRows: restoreClassicRows ? await restoreClassicRows() : 0 };
}

/** How many migrations the database has recorded as applied (0 for a fresh database). */
export async function appliedMigrationCount(client: Client): Promise<number> {
  const table = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
  );
  if (table.rows.length === 0) return 0;
  const { rows } = await client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
  return Number(rows[0].n);
}

type JournalEntry = { tag: string; when: number };

/**
 * The committed migrations (db/migrations/meta/_journal.json) this database has not applied yet,
 * decided as drizzle's migrate() decides: every journal entry newer than the newest `created_at`
 * in __drizzle_migrations. A fresh or classic database is behind by all of them.
 */
export async function pendingMigrations(client: Client, migrationsFolder = MIGRATIONS_FOLDER): Promise<string[]> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: JournalEntry[] };
  const lastApplied = (await appliedMigrationCount(client)) === 0 ? -Infinity : await newestAppliedMillis(client);
  return journal.entries.filter((entry) => entry.when > lastApplied).map((entry) => entry.tag);
}

async function newestAppliedMillis(client: Client): Promise<number> {
  const { rows } = await client.execute("SELECT max(created_at) AS newest FROM __drizzle_migrations");
  return Number(rows[0].newest);
}
