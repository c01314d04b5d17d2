// What proxy.ts learns before rendering `/`: whether the registrants table can be read. One probe
// answers for a second, so a busy page costs the database one query a second, not one a request.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { databaseStatus } from "@/db/health";
import { closeDb } from "@/db/connection";
import { migrateDatabase } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-availability-");
afterEach(() => closeDb());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pastTheProbeLifetime = () => new Promise((resolve) => setTimeout(resolve, 1_100));

test("a migrated database is available, and that answer is reused for a second", async () => {
  const url = `file:${join(dir, "migrated.db")}`;
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  const first = databaseStatus();
  process.env.DATABASE_URL = "http://127.0.0.1:9"; // the next probe would fail: not asked yet
  const second = databaseStatus();
  expect(await first).toBe("available");
  expect(await second).toBe("available");
  closeDb();
  await pastTheProbeLifetime();
  expect(await databaseStatus()).toBe("unavailable");
});

test("a database that was never migrated is told apart from an unreachable one", async () => {
  await pastTheProbeLifetime();
  process.env.DATABASE_URL = `file:${join(dir, "never-migrated.db")}`;
  expect(await databaseStatus()).toBe("schema-missing");
});
