// With DATABASE_SYNC_URL set (an embedded replica), `npm run db:migrate` and `npm run db:seed`
// go to the primary, never into the replica file: a replica's file is written only by its pulls.
// Against a real sqld and the real CLIs.
import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { appliedMigrationCount } from "@/db/operations/migrate";
import { ROOT } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { makeTempDir } from "../support/temp-db";

const run = promisify(execFile);
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const dir = makeTempDir("registrants-replica-migrations-");
const replicaFile = join(dir, "replica.db");
let sqld: RunningSqld;

beforeAll(async () => {
  sqld = await startSqld();
}, 30_000);
afterAll(async () => {
  await sqld?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const asReplica = () => ({ ...process.env, DATABASE_URL: `file:${replicaFile}`, DATABASE_SYNC_URL: sqld.httpUrl, DATABASE_AUTH_TOKEN: sqld.authToken });

test("db:migrate and db:seed of an embedded replica apply to its primary and leave the replica file alone", async () => {
  const migrated = await run(TSX, [join(ROOT, "db", "cli", "migrate.ts")], { cwd: ROOT, env: asReplica() });
  expect(migrated.stdout).toContain(`to ${sqld.httpUrl}`);
  await run(TSX, [join(ROOT, "db", "cli/seed.ts")], { cwd: ROOT, env: asReplica() });
  expect(existsSync(replicaFile)).toBe(false);

  const primary = openClient({ url: sqld.httpUrl, authToken: sqld.authToken });
  try {
    expect(await appliedMigrationCount(primary)).toBeGreaterThan(0);
    const { rows } = await primary.execute("SELECT COUNT(*) AS n FROM registrants");
    expect(Number(rows[0].n)).toBeGreaterThan(0);
  } finally {
    primary.close();
  }
}, 60_000);
