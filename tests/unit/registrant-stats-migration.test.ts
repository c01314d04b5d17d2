// Migration 0001: the row count and the data version in registrant_stats, and the rank `pos`,
// kept exact by triggers whoever writes, and backfilled for a database that already had rows.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, describe, expect, test } from "vitest";
import { openClient } from "@/db/client";
import { applyMigrations, MIGRATIONS_FOLDER } from "@/db/migrate";
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

/** pos by id, oldest first; must always be exactly 1..n. */
async function ranks(client: Client): Promise<[number, number][]> {
  const { rows } = await client.execute("SELECT id, pos FROM registrants ORDER BY id");
  return rows.map((row) => [Number(row.id), Number(row.pos)]);
}

const insert = (client: Client, email: string, id?: number) =>
  client.execute({
    sql: id === undefined ? "INSERT INTO registrants (name, email) VALUES ('N', ?)" : "INSERT INTO registrants (id, name, email) VALUES (?, 'N', ?)",
    args: id === undefined ? [email] : [id, email],
  });

describe("registrant_stats and pos", () => {
  test("start at zero and follow every insert, delete and edit, whoever writes", async () => {
    const client = await migrated("triggers.db");
    try {
      expect(await stats(client)).toEqual({ total: 0, version: 0 });
      for (let i = 1; i <= 5; i++) await insert(client, `p${i}@example.com`);
      expect(await stats(client)).toEqual({ total: 5, version: 5 });
      expect(await ranks(client)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);

      await client.execute("DELETE FROM registrants WHERE id = 2");
      expect(await stats(client)).toEqual({ total: 4, version: 6 });
      expect(await ranks(client)).toEqual([[1, 1], [3, 2], [4, 3], [5, 4]]);

      await insert(client, "gap@example.com", 2); // below the largest id: the rows above move up
      expect(await ranks(client)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);

      await client.execute("UPDATE registrants SET name = 'Renamed' WHERE id = 3");
      expect(await stats(client)).toEqual({ total: 5, version: 8 });
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
      expect(await ranks(client)).toEqual([[1, 1]]);
    } finally {
      client.close();
    }
  });

  test("are backfilled for a database that already had rows, gaps included", async () => {
    // Apply only migration 0000, add rows with a gap, then apply the rest.
    const onlyFirst = join(dir, "only-0000");
    mkdirSync(join(onlyFirst, "meta"), { recursive: true });
    cpSync(join(MIGRATIONS_FOLDER, "0000_init.sql"), join(onlyFirst, "0000_init.sql"));
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));
    writeFileSync(join(onlyFirst, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));

    const client = await migrated("backfill.db", onlyFirst);
    try {
      for (const id of [1, 2, 5, 9]) await insert(client, `b${id}@example.com`, id);
      await applyMigrations(client);
      expect(await stats(client)).toEqual({ total: 4, version: 0 });
      expect(await ranks(client)).toEqual([[1, 1], [2, 2], [5, 3], [9, 4]]);
      await insert(client, "after@example.com");
      expect(await ranks(client)).toEqual([[1, 1], [2, 2], [5, 3], [9, 4], [10, 5]]);
    } finally {
      client.close();
    }
  });
});
