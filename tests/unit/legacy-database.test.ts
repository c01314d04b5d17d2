// A database made with the classic lecture's SQL (no created_at, no unique index, no migrations
// table): the app reads it as it is, and db:migrate adopts it without losing a row.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { closeDb } from "@/db/connection";
import { appliedMigrationCount, applyMigrations } from "@/db/operations/migrate";
import { listRegistrants } from "@/db/registrants";
import { insertRegistrant } from "@/db/writer";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-legacy-");
afterEach(() => closeDb());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLASSIC_SCHEMA = "CREATE TABLE registrants (id INTEGER PRIMARY KEY, name VARCHAR(255), email VARCHAR(255))";

async function classicDatabase(file: string, rows: [string | null, string | null][]) {
  const url = `file:${join(dir, file)}`;
  const client = openClient({ url });
  await client.execute(CLASSIC_SCHEMA);
  for (const [name, email] of rows) await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [name, email] });
  return { url, client };
}

test("the app lists a classic database's rows as they are", async () => {
  const { url, client } = await classicDatabase("read.db", [["Alice", "alice@example.com"], ["Bob", "bob@example.com"]]);
  client.close();
  process.env.DATABASE_URL = url;
  expect((await listRegistrants(1)).rows).toEqual([
    { id: 2, name: "Bob", email: "bob@example.com" },
    { id: 1, name: "Alice", email: "alice@example.com" },
  ]);
});

test("migrating adopts a classic table: rows and ids kept, emails normalised, new rows accepted", async () => {
  const { url, client } = await classicDatabase("adopt.db", [["Alice", " Alice@Example.com "], ["Bob", "bob@example.com"]]);
  try {
    expect(await applyMigrations(client)).toEqual({ adoptedRows: 2, appliedElsewhere: false });
    expect(await appliedMigrationCount(client)).toBeGreaterThan(0);
    const { rows } = await client.execute("SELECT id, name, email FROM registrants ORDER BY id");
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { id: 1, name: "Alice", email: "alice@example.com" },
      { id: 2, name: "Bob", email: "bob@example.com" },
    ]);
    expect(await applyMigrations(client)).toEqual({ adoptedRows: 0, appliedElsewhere: false });
  } finally {
    client.close();
  }
  process.env.DATABASE_URL = url;
  expect(await insertRegistrant({ name: "Carol", email: "carol@example.com" })).toEqual({ ok: true, id: 3 });
  expect(await insertRegistrant({ name: "Alice again", email: "alice@example.com" })).toEqual({ ok: false, reason: "duplicate-email" });
});

test("a classic table whose rows break the new rules is left untouched with a clear message", async () => {
  const { client } = await classicDatabase("conflict.db", [
    ["Alice", "alice@example.com"],
    ["Alice Twin", "ALICE@example.com"],
    [null, "nameless@example.com"],
  ]);
  try {
    await expect(applyMigrations(client)).rejects.toThrow(/1 row\(s\) without a name or email and 1 email\(s\) registered more than once.*Nothing was changed/);
    const { rows } = await client.execute("SELECT count(*) AS n FROM registrants");
    expect(Number(rows[0].n)).toBe(3);
    expect(await appliedMigrationCount(client)).toBe(0);
  } finally {
    client.close();
  }
});
