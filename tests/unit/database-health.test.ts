// The probe behind GET /api/health against real databases: a migrated file, one never migrated,
// a server that refuses connections and one that accepts and never answers.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { closeDb } from "@/db/connection";
import { probeDatabase } from "@/db/health";
import { migrateDatabase } from "../support/server";
import { startSilentDatabase } from "../support/silent-database";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-health-");
afterEach(() => closeDb());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a migrated database is healthy", async () => {
  const url = `file:${join(dir, "migrated.db")}`;
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  expect(await probeDatabase()).toEqual({ ok: true });
});

test("a database without the registrants table is not", async () => {
  process.env.DATABASE_URL = `file:${join(dir, "unmigrated.db")}`;
  expect(await probeDatabase()).toMatchObject({ ok: false, reason: "schema-missing" });
});

test("a server that refuses connections is unavailable", async () => {
  process.env.DATABASE_URL = "http://127.0.0.1:9";
  expect(await probeDatabase()).toMatchObject({ ok: false, reason: "unavailable" });
});

test("a server that never answers times out instead of hanging the probe", async () => {
  const silent = await startSilentDatabase();
  try {
    process.env.DATABASE_URL = silent.url;
    const started = Date.now();
    expect(await probeDatabase(300)).toEqual({ ok: false, reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_000);
  } finally {
    await silent.close();
  }
});
