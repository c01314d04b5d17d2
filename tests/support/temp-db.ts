// A real database for one test file: DATABASE_URL points at it, the committed migrations are
// applied, and it is deleted afterwards. By default a SQLite file in a fresh temp folder; in the
// Vitest project "sqld" (TEST_DATABASE=sqld, vitest.config.ts) a real sqld of the file's own, over
// HTTP with a JWT in DATABASE_AUTH_TOKEN, so the same tests prove the remote database path.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, beforeAll } from "vitest";
import { openClient } from "@/db/connection/client";
import { closeDb } from "@/db/connection";
import { applyMigrations } from "@/db/operations/migrate";
import { startSqld, type RunningSqld } from "./sqld";

/** True in the Vitest project "sqld" (vitest.config.ts sets TEST_DATABASE): the few checks only an embedded file can make skip there. */
export const onSqld = process.env.TEST_DATABASE === "sqld";

export function makeTempDir(prefix = "registrants-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Registers hooks that give the file a migrated temp database; returns a raw client getter. */
export function withTempDatabase(): { client: () => Client; url: () => string } {
  let dir = "";
  let client: Client | undefined;
  let url = "";
  let sqld: RunningSqld | undefined;
  beforeAll(async () => {
    if (onSqld) {
      sqld = await startSqld();
      url = sqld.httpUrl;
      process.env.DATABASE_AUTH_TOKEN = sqld.authToken;
      client = openClient({ url, authToken: sqld.authToken });
    } else {
      dir = makeTempDir();
      url = `file:${join(dir, "test.db")}`;
      client = openClient({ url });
      await client.execute("PRAGMA journal_mode = WAL");
    }
    process.env.DATABASE_URL = url;
    await applyMigrations(client);
  });
  afterAll(async () => {
    closeDb();
    client?.close();
    await sqld?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
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
