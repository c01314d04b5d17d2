// The check the production launcher makes before serving: is this database behind the committed
// migrations, and (with MIGRATE_ON_START=1) bring it up to date. Real files, a real later migration.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { applyMigrations, MIGRATIONS_FOLDER, pendingMigrations } from "@/db/operations/migrate";
import { passSchemaGate } from "@/db/operations/schema-gate";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-schema-gate-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The committed migrations by name: the .sql files drizzle-kit wrote, oldest first. */
const COMMITTED = readdirSync(MIGRATIONS_FOLDER)
  .filter((file) => file.endsWith(".sql"))
  .sort()
  .map((file) => file.slice(0, -".sql".length));

/** The committed migrations plus one more, as the next release of the app would ship them. */
function migrationsWithOneMore(): string {
  const folder = join(dir, "next-release-migrations");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  const last = journal.entries.at(-1);
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag: "9999_add_city" });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(folder, "9999_add_city.sql"), "ALTER TABLE `registrants` ADD `city` text;");
  return folder;
}

function withClient<T>(name: string, work: (client: ReturnType<typeof openClient>) => Promise<T>): Promise<T> {
  const client = openClient({ url: `file:${join(dir, name)}` });
  return work(client).finally(() => client.close());
}

describe("pendingMigrations", () => {
  test("a fresh database is behind by every committed migration; a migrated one by none", () =>
    withClient("fresh.db", async (client) => {
      expect(await pendingMigrations(client)).toEqual(COMMITTED);
      await applyMigrations(client);
      expect(await pendingMigrations(client)).toEqual([]);
    }));

  test("a database migrated by the previous release is behind by the new migration only", () =>
    withClient("previous-release.db", async (client) => {
      await applyMigrations(client);
      expect(await pendingMigrations(client, migrationsWithOneMore())).toEqual(["9999_add_city"]);
    }));

  test("a classic lecture database (no migrations table) is behind by all of them", () =>
    withClient("classic.db", async (client) => {
      await client.execute("CREATE TABLE registrants (id INTEGER PRIMARY KEY, name VARCHAR(255), email VARCHAR(255))");
      expect(await pendingMigrations(client)).toEqual(COMMITTED);
    }));
});

describe("passSchemaGate", () => {
  test("without MIGRATE_ON_START it reports the pending migrations and changes nothing", () =>
    withClient("gate-behind.db", async (client) => {
      await applyMigrations(client);
      const folder = migrationsWithOneMore();
      expect(await passSchemaGate(client, { migrate: false, migrationsFolder: folder })).toEqual({ status: "behind", pending: ["9999_add_city"] });
      const columns = await client.execute("PRAGMA table_info(registrants)");
      expect(columns.rows.map((column) => column.name)).not.toContain("city");
    }));

  test("with MIGRATE_ON_START it applies them, keeps the rows, and is current afterwards", () =>
    withClient("gate-migrate.db", async (client) => {
      await applyMigrations(client);
      await client.execute("INSERT INTO registrants (name, email) VALUES ('Ada', 'ada@example.com')");
      const folder = migrationsWithOneMore();
      expect(await passSchemaGate(client, { migrate: true, migrationsFolder: folder })).toEqual({
        status: "migrated",
        applied: ["9999_add_city"],
        adoptedRows: 0,
      });
      const { rows } = await client.execute("SELECT name, city FROM registrants");
      expect(rows.map((row) => ({ ...row }))).toEqual([{ name: "Ada", city: null }]);
      expect(await passSchemaGate(client, { migrate: true, migrationsFolder: folder })).toEqual({ status: "current" });
    }));

  test("with MIGRATE_ON_START a classic database is adopted with its rows", () =>
    withClient("gate-classic.db", async (client) => {
      await client.execute("CREATE TABLE registrants (id INTEGER PRIMARY KEY, name VARCHAR(255), email VARCHAR(255))");
      await client.execute("INSERT INTO registrants VALUES (7, 'Alice', ' Alice@Example.com ')");
      expect(await passSchemaGate(client, { migrate: true })).toEqual({ status: "migrated", applied: COMMITTED, adoptedRows: 1 });
    }));
});
