// What the data functions do when the database is locked, missing its table or unreachable:
// a typed error the action turns into a friendly message, and nothing half-written.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { BUSY_TIMEOUT_MS, openClient } from "@/db/connection/client";
import { SchemaMissingError } from "@/db/connection/errors";
import { closeDb } from "@/db/connection";
import { listRegistrants } from "@/db/registrants";
import { insertRegistrant } from "@/db/writer";
import { migrateDatabase } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-failures-");
afterEach(() => closeDb());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a database without the table says to run db:migrate", async () => {
  process.env.DATABASE_URL = `file:${join(dir, "unmigrated.db")}`;
  await expect(listRegistrants(1)).rejects.toBeInstanceOf(SchemaMissingError);
  await expect(insertRegistrant({ name: "A", email: "a@example.com" })).rejects.toThrow(/npm run db:migrate/);
});

test("an unreachable server is an error, not a hang or a crash", async () => {
  process.env.DATABASE_URL = "http://127.0.0.1:9";
  await expect(listRegistrants(1)).rejects.toThrow();
});

test(
  "a write lock held past the busy timeout fails the insert and stores nothing",
  async () => {
    const url = `file:${join(dir, "locked.db")}`;
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;
    const holder = openClient({ url });
    const lock = await holder.transaction("write");
    await lock.execute("INSERT INTO registrants (name, email) VALUES ('Holder', 'holder@example.com')");
    try {
      const started = Date.now();
      await expect(insertRegistrant({ name: "Blocked", email: "blocked@example.com" })).rejects.toThrow(/SQLITE_BUSY|locked/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 500);
    } finally {
      await lock.rollback();
    }
    const { rows } = await holder.execute("SELECT count(*) AS n FROM registrants");
    holder.close();
    expect(Number(rows[0].n)).toBe(0);
  },
  BUSY_TIMEOUT_MS + 10_000,
);
