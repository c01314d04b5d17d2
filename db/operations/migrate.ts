// Applies the committed SQL migrations (db/migrations, made by `drizzle-kit generate`) that a
// database has not seen yet. drizzle records each applied migration in __drizzle_migrations, so
// running it again is a no-op. Used by the db:migrate CLI, `npm run dev` and the tests.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { putBackClassicTable, setAsideClassicTable } from "./adopt-classic";

/** Beside a bundled CLI (migrate.mjs and migrations/ in the standalone folder), else db/migrations in the source tree. */
const BUNDLED_MIGRATIONS = fileURLToPath(new URL("./migrations", import.meta.url));
export const MIGRATIONS_FOLDER = existsSync(BUNDLED_MIGRATIONS) ? BUNDLED_MIGRATIONS : fileURLToPath(new URL("../migrations", import.meta.url));

export type MigrationOutcome = {
  adoptedRows: number;
  /** Another process (an instance started with MIGRATE_ON_START=1 at the same moment) applied them first. */
  appliedElsewhere: boolean;
};

/**
 * Applies pending migrations; a classic lecture database is adopted on the way (db/operations/adopt-classic.ts).
 *
 * Several processes may call this at once (instances started together with MIGRATE_ON_START=1).
 * drizzle reads which migrations are pending, then applies them all in one transaction (a batch on
 * sqld/Turso). The first commit wins; every other batch fails on its first CREATE and rolls back
 * whole. So a failed batch is checked once more: nothing pending any more means another process
 * migrated, and this one is current; otherwise the failure is real and is thrown.
 *
 * `onStep` hears what is about to happen, for a progress line. The pending files go as one batch, so
 * they are named together: there is no moment between two of them to report.
 */
export async function applyMigrations(client: Client, migrationsFolder = MIGRATIONS_FOLDER, onStep?: (step: string) => void): Promise<MigrationOutcome> {
  if (onStep) {
    const pending = await pendingMigrations(client, migrationsFolder);
    if (pending.length > 0) onStep(`applying ${pending.length > 1 ? `${pending.length} migrations in one transaction: ` : ""}${pending.join(", ")}…`);
  }
  const restoreClassicRows = await setAsideClassicTable(client);
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } catch (error) {
    if (restoreClassicRows) await putBackClassicTable(client);
    if ((await pendingMigrations(client, migrationsFolder).catch(() => ["unknown"])).length === 0) {
      return { adoptedRows: 0, appliedElsewhere: true };
    }
    throw error;
  }
  if (restoreClassicRows) onStep?.("copying the classic registrants table's rows into the migrated one…");
  return { adoptedRows: restoreClassicRows ? await restoreClassicRows() : 0, appliedElsewhere: false };
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

/**
 * The committed migrations this database has not applied yet, decided as drizzle's migrate()
 * decides: every migration newer than the newest `created_at` in __drizzle_migrations. A fresh or
 * classic database is behind by all of them. The folder is read with drizzle's own public
 * readMigrationFiles (not by parsing its journal here), so a change of drizzle's folder layout
 * cannot make this disagree with migrate().
 */
export async function pendingMigrations(client: Client, migrationsFolder = MIGRATIONS_FOLDER): Promise<string[]> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const lastApplied = (await appliedMigrationCount(client)) === 0 ? -Infinity : await newestAppliedMillis(client);
  const names = migrationNamesByHash(migrationsFolder);
  return migrations.filter((migration) => migration.folderMillis > lastApplied).map((migration) => names.get(migration.hash) ?? String(migration.folderMillis));
}

async function newestAppliedMillis(client: Client): Promise<number> {
  const { rows } = await client.execute("SELECT max(created_at) AS newest FROM __drizzle_migrations");
  return Number(rows[0].newest);
}

/**
 * A readable name for each migration, for the operator's log ("0001_registrant_stats"). drizzle's
 * migration records carry only the SQL's sha256, so each .sql file under the folder (flat files
 * today, one folder per migration in drizzle v1) is hashed the same way and named after its path.
 */
function migrationNamesByHash(migrationsFolder: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".sql")) continue;
    const hash = createHash("sha256").update(readFileSync(join(migrationsFolder, file))).digest("hex");
    names.set(hash, file.endsWith(`${sep}migration.sql`) ? dirname(file) : file.slice(0, -".sql".length));
  }
  return names;
}
