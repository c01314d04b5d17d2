// A real SQLite file in a fresh temp folder for one test file: DATABASE_URL points at it, the
// committed migrations are applied, and it is deleted afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, beforeAll } from "vitest";
import { openClient } from "@/db/client";
import { closeDb } from "@/db/index";
import { applyMigrations } from "@/db/migrate";

export function makeTempDir(prefix = "registrants-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Registers hooks that give the file a migrated temp database; returns a raw client getter. */
export function withTempDatabase(): { client: () => Client; url: () => string } {
  let dir = "";
  let client: Client | undefined;
  let url = "";
  beforeAll(async () => {
    dir = makeTempDir();
    url = `file:${join(dir, "test.db")}`;
    process.env.DATABASE_URL = url;
    client = openClient({ url });
    await client.execute("PRAGMA journal_mode = WAL");
    await applyMigrations(client);
  });
  afterAll(() => {
    closeDb();
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    client: () => {
      if (!client) throw new Error("withTempDatabase: the database is opened in beforeAll");
      return client;
    },
    url: () => url,
  };
}

let counter = 0;
/** An email no other test uses, so tests can run in any order against one database. */
export function uniqueEmail(tag = "person"): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}
