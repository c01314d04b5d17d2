// The registrants list trusts triggers to keep registrant_stats (total, data version) and
// registrant_buckets (rows per id bucket) exact. They are hand-written SQL that drizzle-kit does not
// know of, so a table rebuild it generates drops them without a word: every migration is checked
// here, one at a time. The recipe: docs/operations.md "Changing the schema".
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, describe, expect, test } from "vitest";
import { appliedMigrationCount, applyMigrations, MIGRATIONS_FOLDER } from "@/db/operations";
import { BUCKET_BITS } from "@/db/schema";

/**
 * The triggers on `registrants` the list depends on, keyed by the migration that last changed the
 * set: from that migration on, every migration must leave all of them. A migration that renames,
 * adds or drops one adds its entry here.
 */
export const LIST_TRIGGERS_SINCE: Readonly<Record<string, readonly string[]>> = {
  "0001_registrant_stats": ["registrants_after_insert", "registrants_after_delete", "registrants_after_update"],
  "0002_id_buckets": ["registrants_after_insert", "registrants_after_delete", "registrants_after_update", "registrants_after_renumber"],
};

const dir = mkdtempSync(join(tmpdir(), "registrants-list-triggers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let made = 0;
const unique = (prefix: string) => join(dir, `${prefix}-${(made += 1)}`);
const newDatabase = () => createClient({ url: `file:${unique("db")}.db` });

type Journal = { entries: { idx: number; when: number; tag: string }[] };
const readJournal = (folder: string): Journal => JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8"));
const sqlOf = (folder: string, tag: string) => readFileSync(join(folder, `${tag}.sql`), "utf8");
const COMMITTED_TAGS = readJournal(MIGRATIONS_FOLDER).entries.map(({ tag }) => tag);
/** The set the newest migrations must leave. */
const CURRENT_TRIGGERS = Object.values(LIST_TRIGGERS_SINCE).at(-1)!;

/** A copy of `source` holding its first `count` migrations, then `extra` (a later migration) if given. */
function migrationsFolder(source: string, count: number, extra?: { tag: string; sql: string }): string {
  const journal = readJournal(source);
  const entries = journal.entries.slice(0, count);
  const folder = unique("migrations");
  mkdirSync(join(folder, "meta"), { recursive: true });
  for (const { tag } of entries) cpSync(join(source, `${tag}.sql`), join(folder, `${tag}.sql`));
  if (extra) {
    const last = entries.at(-1)!;
    entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag: extra.tag });
    writeFileSync(join(folder, `${extra.tag}.sql`), extra.sql);
  }
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}

async function triggersOnRegistrants(client: Client): Promise<Set<string>> {
  const { rows } = await client.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'registrants'");
  return new Set(rows.map((row) => String(row.name)));
}

/**
 * Applies the migrations of `folder` to one new database one at a time, as a database that lived
 * through every release meets them, with a row written by each schema version on the way. Returns
 * the database and, per migration, the list's triggers it left missing.
 */
async function migrateOneByOne(folder: string): Promise<{ client: Client; missing: string[] }> {
  const client = newDatabase();
  const missing: string[] = [];
  let required: readonly string[] = [];
  for (const [index, { tag }] of readJournal(folder).entries.entries()) {
    await applyMigrations(client, migrationsFolder(folder, index + 1));
    expect(await appliedMigrationCount(client), `${tag} was applied`).toBe(index + 1);
    required = LIST_TRIGGERS_SINCE[tag] ?? required;
    const present = await triggersOnRegistrants(client);
    const absent = required.filter((name) => !present.has(name));
    if (absent.length > 0) missing.push(`after ${tag}: registrants has no trigger ${absent.join(", ")}`);
    await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES ('Between', ?)", args: [`after-${tag}@example.com`] });
  }
  return { client, missing };
}

/** Where registrant_stats and registrant_buckets disagree with a recount of the rows. */
async function disagreements(client: Client, expectedVersion: number): Promise<string[]> {
  const [stats, count, kept, actual] = await client.batch([
    "SELECT total, version FROM registrant_stats WHERE id = 1",
    "SELECT count(*) AS n FROM registrants",
    "SELECT bucket, count AS n FROM registrant_buckets WHERE count <> 0 ORDER BY bucket",
    `SELECT id >> ${BUCKET_BITS} AS bucket, count(*) AS n FROM registrants GROUP BY bucket ORDER BY bucket`,
  ]);
  const found: string[] = [];
  const { total, version } = stats.rows[0];
  if (Number(total) !== Number(count.rows[0].n)) found.push(`registrant_stats.total is ${total}, a recount gives ${count.rows[0].n}`);
  if (Number(version) !== expectedVersion) found.push(`registrant_stats.version is ${version}, ${expectedVersion} after the changes made`);
  const pairs = (rows: Record<string, unknown>[]) => rows.map((row) => `${row.bucket}:${row.n}`).join(" ");
  if (pairs(kept.rows) !== pairs(actual.rows)) found.push(`registrant_buckets hold ${pairs(kept.rows)}, a recount gives ${pairs(actual.rows)}`);
  return found;
}

/** Every kind of write the triggers must follow, as raw SQL (the app, a CLI or an operator by hand). */
const WRITES: [string, string][] = [
  ["insert three rows", "INSERT INTO registrants (name, email) VALUES ('A', 'a@example.com'), ('B', 'b@example.com'), ('C', 'c@example.com')"],
  ["insert a row in another bucket", "INSERT INTO registrants (id, name, email) VALUES (5000, 'D', 'd@example.com')"],
  ["insert a negative id (bucket -1)", "INSERT INTO registrants (id, name, email) VALUES (-3, 'E', 'e@example.com')"],
  ["rename a row", "UPDATE registrants SET name = 'Renamed' WHERE email = 'a@example.com'"],
  ["change an email", "UPDATE registrants SET email = 'b2@example.com' WHERE email = 'b@example.com'"],
  ["renumber a row into another bucket", "UPDATE registrants SET id = 2048 WHERE email = 'c@example.com'"],
  ["delete a row", "DELETE FROM registrants WHERE email = 'e@example.com'"],
  ["delete rows across buckets", "DELETE FROM registrants WHERE id >= 2048"],
  ["insert after the deletes", "INSERT INTO registrants (name, email) VALUES ('F', 'f@example.com')"],
];

/** Makes every write of WRITES; what the counters got wrong after each, by write. */
async function countersAfterWrites(client: Client): Promise<string[]> {
  const { rows } = await client.execute("SELECT version FROM registrant_stats WHERE id = 1");
  let version = Number(rows[0].version);
  const found = (await disagreements(client, version)).map((problem) => `after the migrations: ${problem}`);
  for (const [write, sql] of WRITES) {
    // Each row a statement changes fires the triggers once, so the version moves by that many.
    version += (await client.execute(sql)).rowsAffected;
    found.push(...(await disagreements(client, version)).map((problem) => `after "${write}": ${problem}`));
  }
  return found;
}

const REBUILD_TAG = "0099_rebuild_registrants";
/** What `npm run db:generate` writes for a change SQLite cannot ALTER: a new table, a copy, a swap. */
const REBUILD_SQL = `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_registrants\` (
	\`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	\`name\` text(255) NOT NULL,
	\`email\` text(255) NOT NULL,
	\`created_at\` integer DEFAULT (unixepoch()) NOT NULL,
	\`affiliation\` text(255) DEFAULT '' NOT NULL
);
--> statement-breakpoint
INSERT INTO \`__new_registrants\`("id", "name", "email", "created_at") SELECT "id", "name", "email", "created_at" FROM \`registrants\`;--> statement-breakpoint
DROP TABLE \`registrants\`;--> statement-breakpoint
ALTER TABLE \`__new_registrants\` RENAME TO \`registrants\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX \`registrants_email_unique\` ON \`registrants\` (\`email\`);`;

/** The CREATE TRIGGER statements of the newest committed migration that has any: what the recipe copies. */
function newestTriggerStatements(): string[] {
  for (const tag of COMMITTED_TAGS.toReversed()) {
    const statements = sqlOf(MIGRATIONS_FOLDER, tag)
      .split("--> statement-breakpoint")
      .filter((statement) => /CREATE TRIGGER/i.test(statement));
    if (statements.length > 0) return statements;
  }
  return [];
}

describe("the triggers the registrants list depends on", () => {
  test("every migration named in LIST_TRIGGERS_SINCE is in the journal", () => {
    expect(COMMITTED_TAGS).toEqual(expect.arrayContaining(Object.keys(LIST_TRIGGERS_SINCE)));
  });

  test("are all there after each committed migration, applied one at a time", async () => {
    const { client, missing } = await migrateOneByOne(MIGRATIONS_FOLDER);
    try {
      expect(missing).toEqual([]);
      expect([...(await triggersOnRegistrants(client))].sort()).toEqual([...CURRENT_TRIGGERS].sort());
    } finally {
      client.close();
    }
  });

  const migratedInOneGo = async () => {
    const client = newDatabase();
    await applyMigrations(client);
    return client;
  };
  test.each([
    ["migrated one release at a time, with rows from each", async () => (await migrateOneByOne(MIGRATIONS_FOLDER)).client],
    ["migrated in one go from empty", migratedInOneGo],
  ])("keep the total, the data version and the bucket counts equal to a recount on a database %s", async (_label, open) => {
    const client = await open();
    try {
      expect(await countersAfterWrites(client)).toEqual([]);
    } finally {
      client.close();
    }
  });

  test("a later migration that rebuilds registrants as drizzle-kit does is caught, by name", async () => {
    const { client, missing } = await migrateOneByOne(migrationsFolder(MIGRATIONS_FOLDER, Infinity, { tag: REBUILD_TAG, sql: REBUILD_SQL }));
    try {
      expect(missing).toEqual([`after ${REBUILD_TAG}: registrants has no trigger ${CURRENT_TRIGGERS.join(", ")}`]);
      // One row was written after each migration: the one after the rebuild went uncounted, and so
      // does every write after it.
      const counted = COMMITTED_TAGS.length;
      const wrong = await countersAfterWrites(client);
      expect(wrong.slice(0, 2)).toEqual([
        `after the migrations: registrant_stats.total is ${counted}, a recount gives ${counted + 1}`,
        `after the migrations: registrant_buckets hold 0:${counted}, a recount gives 0:${counted + 1}`,
      ]);
      for (const [write] of WRITES) expect(wrong.some((problem) => problem.startsWith(`after "${write}": registrant_stats.version`))).toBe(true);
    } finally {
      client.close();
    }
  });

  test("the same rebuild passes once it re-creates the triggers, copied from the newest migration that defines them", async () => {
    const sql = [REBUILD_SQL, ...newestTriggerStatements()].join("--> statement-breakpoint\n");
    const { client, missing } = await migrateOneByOne(migrationsFolder(MIGRATIONS_FOLDER, Infinity, { tag: REBUILD_TAG, sql }));
    try {
      expect(missing).toEqual([]);
      expect(await countersAfterWrites(client)).toEqual([]);
    } finally {
      client.close();
    }
  });
});
