// Migrations 0001 and 0002: the row count and the data version in registrant_stats, and the rows
// per id bucket in registrant_buckets, kept exact by triggers whoever writes, and backfilled for a
// database that already had rows. Ids are AUTOINCREMENT: a deleted id is never handed out again.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, describe, expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { applyMigrations, MIGRATIONS_FOLDER } from "@/db/operations/migrate";
import { BUCKET_BITS } from "@/db/schema";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-stats-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function migrated(file: string, migrationsFolder?: string): Promise<Client> {
  const client = openClient({ url: `file:${join(dir, file)}` });
  await applyMigrations(client, migrationsFolder);
  return client;
}

async function stats(client: Client) {
  const { rows } = await client.execute("SELECT total, version FROM registrant_stats WHERE id = 1");
  return { total: Number(rows[0].total), version: Number(rows[0].version) };
}

/** [bucket, count] as kept by the triggers, empty buckets left out; must match the rows. */
async function buckets(client: Client): Promise<{ kept: [number, number][]; actual: [number, number][] }> {
  const pairs = (rows: Record<string, unknown>[]) => rows.map((row) => [Number(row.bucket), Number(row.n)] as [number, number]);
  const [kept, actual] = await client.batch([
    "SELECT bucket, count AS n FROM registrant_buckets WHERE count <> 0 ORDER BY bucket",
    `SELECT id >> ${BUCKET_BITS} AS bucket, count(*) AS n FROM registrants GROUP BY bucket ORDER BY bucket`,
  ]);
  return { kept: pairs(kept.rows), actual: pairs(actual.rows) };
}

async function expectExactBuckets(client: Client) {
  const { kept, actual } = await buckets(client);
  expect(kept).toEqual(actual);
}

const ids = async (client: Client) => (await client.execute("SELECT id FROM registrants ORDER BY id")).rows.map((row) => Number(row.id));

const insert = (client: Client, email: string, id?: number) =>
  client.execute({
    sql: id === undefined ? "INSERT INTO registrants (name, email) VALUES ('N', ?)" : "INSERT INTO registrants (id, name, email) VALUES (?, 'N', ?)",
    args: id === undefined ? [email] : [id, email],
  });

describe("registrant_stats and registrant_buckets", () => {
  test("start at zero and follow every insert, delete and edit, whoever writes", async () => {
    const client = await migrated("triggers.db");
    try {
      expect(await stats(client)).toEqual({ total: 0, version: 0 });
      for (let i = 1; i <= 5; i++) await insert(client, `p${i}@example.com`);
      expect(await stats(client)).toEqual({ total: 5, version: 5 });
      expect(await buckets(client)).toEqual({ kept: [[0, 5]], actual: [[0, 5]] });

      await client.execute("DELETE FROM registrants WHERE id = 2");
      expect(await stats(client)).toEqual({ total: 4, version: 6 });
      expect((await buckets(client)).kept).toEqual([[0, 4]]);

      await insert(client, "gap@example.com", 2); // below the largest id
      await insert(client, "far@example.com", 5000); // another bucket
      await insert(client, "negative@example.com", -3); // a hand-made row: bucket -1
      expect((await buckets(client)).kept).toEqual([[-1, 1], [0, 5], [4, 1]]);
      await expectExactBuckets(client);

      await client.execute("UPDATE registrants SET name = 'Renamed' WHERE id = 3");
      expect(await stats(client)).toEqual({ total: 7, version: 10 });
      await client.execute("UPDATE registrants SET id = 2048 WHERE id = 3"); // renumbered by hand: moves bucket
      expect(await stats(client)).toEqual({ total: 7, version: 11 });
      await expectExactBuckets(client);
    } finally {
      client.close();
    }
  });

  test("a refused insert (duplicate email) changes nothing", async () => {
    const client = await migrated("refused.db");
    try {
      await insert(client, "once@example.com");
      await expect(insert(client, "once@example.com")).rejects.toThrow(/UNIQUE/);
      await client.execute("INSERT INTO registrants (name, email) VALUES ('N', 'once@example.com') ON CONFLICT DO NOTHING");
      expect(await stats(client)).toEqual({ total: 1, version: 1 });
      expect((await buckets(client)).kept).toEqual([[0, 1]]);
    } finally {
      client.close();
    }
  });

  test("never hand a deleted id out again, not even the largest", async () => {
    const client = await migrated("autoincrement.db");
    try {
      for (let i = 1; i <= 3; i++) await insert(client, `a${i}@example.com`);
      await client.execute("DELETE FROM registrants WHERE id = 3");
      await insert(client, "a3@example.com"); // the same email again: a new registration, a new id
      expect(await ids(client)).toEqual([1, 2, 4]);
    } finally {
      client.close();
    }
  });

  test.each([1, 2])("are backfilled for a database that already had rows after migration %i, gaps included", async (migrationsBefore) => {
    // Apply only the first migrations, add rows with gaps, then apply the rest.
    const partial = join(dir, `only-${migrationsBefore}`);
    mkdirSync(join(partial, "meta"), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));
    const entries = journal.entries.slice(0, migrationsBefore);
    for (const { tag } of entries) cpSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), join(partial, `${tag}.sql`));
    writeFileSync(join(partial, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));

    const client = await migrated(`backfill-${migrationsBefore}.db`, partial);
    try {
      for (const id of [1, 2, 5, 9, 1500, 3000]) await insert(client, `b${id}@example.com`, id);
      await client.execute("DELETE FROM registrants WHERE id = 3000"); // the largest, before 0002
      await applyMigrations(client);
      expect((await stats(client)).total).toBe(5);
      expect(await ids(client)).toEqual([1, 2, 5, 9, 1500]);
      expect((await buckets(client)).kept).toEqual([[0, 4], [1, 1]]);
      await insert(client, "after@example.com");
      expect((await ids(client)).at(-1)).toBe(1501);
      await expectExactBuckets(client);
    } finally {
      client.close();
    }
  });
});
